// Parse a feed with podcast-partytime (a real Podcasting 2.0 client) and print what it saw as JSON.
const fs = require("fs");
const { parseFeed } = require("podcast-partytime");
const feed = parseFeed(fs.readFileSync(process.argv[2], "utf8"));
if (!feed) { console.error("partytime could not parse the feed"); process.exit(1); }
console.log(JSON.stringify({
  title: feed.title,
  guid: feed.guid,
  locked: feed.locked,
  items: feed.items.map((i) => ({
    title: i.title, guid: i.guid, enclosure: i.enclosure,
    chapters: i.podcastChapters, transcripts: i.podcastTranscripts, people: i.podcastPeople,
  })),
}));
