"""What a feed promised to keep, in a file tingbao owns: output/.tingbao/feed-state.json.

Items of removed editions stay in the feed until --prune. They used to live only in the
previous feed.xml, so a feed that could not be parsed silently lost them. The state file
holds every item of the last feed written (as XML text, so a kept item is republished byte
for byte); the previous feed.xml is still read, after removing characters XML forbids, so
feeds written before the state file existed keep their items too.
"""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import FeedStateError
from .outputs import write_atomic

STATE = Path(".tingbao") / "feed-state.json"
STATE_VERSION = 1
# XML 1.0 Char: no C0 controls but tab and newline (CR is dropped too: parsers turn it into LF anyway),
# no surrogates (lone ones cannot even be encoded), no U+FFFE/U+FFFF
_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _ILLEGAL.sub("", text)


def clean_tree(root: ET.Element) -> None:
    """Every text, tail and attribute value made legal XML (whatever manifest or old feed it came from)."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        if element.tail:
            element.tail = xml_text(element.tail)
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))


def previous_items(output: Path, feed: str) -> list[ET.Element]:
    """The items last written to `feed`: from the state file and from the old feed itself (union,
    the state's copy first). Raises FeedStateError when a feed exists but neither can be read."""
    from_state = _state_items(output, feed)
    from_feed = _feed_items(output / feed)
    if from_state is None and from_feed is None:
        raise FeedStateError(f"{output / feed} cannot be read and {output / STATE} has no copy of its items, so the "
                             "items kept until --prune would be lost; repair or restore that feed, or publish with "
                             "--prune to drop the items of removed editions")
    items = list(from_state or [])
    seen = {item.findtext("guid") for item in items}
    items += [item for item in from_feed or [] if item.findtext("guid") not in seen]
    return items


def _state_items(output: Path, feed: str) -> list[ET.Element] | None:
    """None when the state file exists but is unreadable, or has never seen this feed while it exists."""
    path = output / STATE
    if not path.is_file():
        return [] if not (output / feed).is_file() else None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["feeds"].get(feed)
        if entries is None:
            return [] if not (output / feed).is_file() else None
        return [ET.fromstring(xml_text(entry)) for entry in entries]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ET.ParseError):
        return None


def _feed_items(path: Path) -> list[ET.Element] | None:
    if not path.is_file():
        return []
    try:
        channel = ET.fromstring(xml_text(path.read_bytes().decode("utf-8", "replace"))).find("channel")
    except (OSError, ET.ParseError):
        return None
    return None if channel is None else channel.findall("item")


def _bare(item: ET.Element) -> ET.Element:
    """A copy without layout whitespace, so an item is stored alike whether it came from a manifest,
    the state or an indented feed."""
    item = copy.deepcopy(item)
    for element in item.iter():
        if len(element) and element.text is not None and not element.text.strip():  # as ET.indent sees it
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return item


def save(output: Path, feed: str, items: list[ET.Element]) -> None:
    """Record the items of `feed` (the caller holds the site lock); other feeds' entries are kept."""
    path = output / STATE
    feeds: dict[str, list[str]] = {}
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(old, dict) and isinstance(old.get("feeds"), dict):
            feeds = old["feeds"]
    except (OSError, ValueError):
        pass
    feeds[feed] = [ET.tostring(_bare(item), encoding="unicode") for item in items]
    data = {"version": STATE_VERSION, "feeds": dict(sorted(feeds.items()))}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
