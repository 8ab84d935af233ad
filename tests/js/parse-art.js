// What podcast-partytime (a real Podcasting 2.0 client) sees of a feed's artwork and chapters, as JSON.
const fs = require("fs");
const { parseFeed } = require("podcast-partytime");
const feed = parseFeed(fs.readFileSync(process.argv[2], "utf8"));
if (!feed) { console.error("partytime could not parse the feed"); process.exit(1); }
console.log(JSON.stringify({
  itunesImage: feed.itunesImage,
  image: feed.image,
  items: feed.items.map((i) => ({
    title: i.title, itunesImage: i.itunesImage, image: i.image, enclosure: i.enclosure, duration: i.duration,
    chapters: i.podcastChapters,
  })),
}));
