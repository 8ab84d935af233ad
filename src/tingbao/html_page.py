"""What a saved page says about its article outside the body: headline, kicker (引题), subtitle (副题),
byline and date; and which class/id names mark page chrome.
"""

from __future__ import annotations

import re

# Words of class/id names that mark page chrome inside the content node.
CHROME = {"share", "social", "related", "recommend", "comment", "comments", "cmt", "discuss", "tie", "editor",
           "tool", "tools", "toolbar", "toobar", "btns", "print", "tags", "tag", "ad", "ads", "advert", "copyright",
           "footer", "nav", "crumb", "breadcrumb", "subscribe", "qrcode", "hot", "sidebar", "side", "more",
           "nextpage", "pager", "pagination", "fujian", "attachment", "meta", "info", "source", "author", "byline",
           "zan", "like", "fav", "report", "jubao", "download", "app"}
_WS = re.compile(r"[\s\u3000\u00a0]+")
_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_AUTHOR = re.compile(r"(?:作者|撰稿|文/图|文\s*[:：/])\s*[:：/]?\s*(.+)")
_REPORTER = re.compile(r"^(?:原创\s*)?((?:\S{0,8}记者|通讯员)\s*\S.*)$")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|—|\s-\s|-(?=[^-]{2,12}$))\s*")


def flat(text: str) -> str:
    return _WS.sub("", text)


def text_of(el) -> str:
    return _WS.sub(" ", el.text_content()).strip()


def is_chrome(el) -> bool:
    """Class/id words of chrome, unless it holds real body text (TRS_Editor is a CMS's body class)."""
    words = set()
    for attr in ("class", "id"):
        for token in (el.get(attr) or "").lower().split():
            words.update(re.split(r"[-_]", token))
    if not words & CHROME:
        return False
    prose = [p for p in el.iter("p", "div") if len(text_of(p)) >= 40 and text_of(p).endswith(("。", "”"))]
    return len(prose) < 2


def headline(doc, root):
    """The headline element: the page's h1 (or the element saying the <title>'s first part)."""
    page_title = ""
    sources = ("//meta[@property='og:title']/@content", "//meta[@name='ArticleTitle']/@content", "//title/text()")
    for xpath in sources:
        found = doc.xpath(xpath)
        if found and found[0].strip():
            page_title = _TITLE_SPLIT.split(found[0].strip())[0] if xpath.endswith("text()") else found[0].strip()
            break
    h1s = [h for h in doc.iter("h1") if text_of(h)]
    for h in h1s:
        if not page_title or flat(text_of(h)) in flat(page_title) or flat(page_title) in flat(text_of(h)):
            return h, text_of(h)
    if page_title:
        key = flat(page_title)
        for el in doc.body.iter() if doc.body is not None else []:
            if isinstance(el.tag, str) and el.tag not in ("title", "a") and flat(el.text_content()) == key:
                return el, text_of(el)
    return (h1s[0], text_of(h1s[0])) if h1s else (None, page_title)


def _sibling(el, step: str):
    while el is not None:
        nxt = el.getprevious() if step == "prev" else el.getnext()
        if nxt is None:
            return None
        if isinstance(nxt.tag, str) and text_of(nxt):
            return nxt
        el = nxt
    return None


def around_headline(title_el) -> dict[str, str]:
    """引题 right above the headline, 副题 right under it (short, not a date or source line)."""
    out: dict[str, str] = {}
    if title_el is None:
        return out
    for key, step in (("kicker", "prev"), ("subtitle", "next")):
        el = _sibling(title_el, step)
        if el is None or el.tag in ("a", "ul", "ol", "table", "time") or el.find(".//a") is not None:
            continue
        text = text_of(el)
        if 4 <= len(text) <= 50 and not _DATE.search(text) and not re.search(r"来源|作者|记者|编辑|浏览|字号", text) \
                and not is_chrome(el):
            out[key] = text.lstrip("—－- ") if key == "subtitle" else text
    return out


def find_byline(doc, title_el, root) -> str:
    """作者：记者 … in the lines between the headline and the body, or the page's author metadata."""
    region = []
    if title_el is not None:
        el = title_el
        for _ in range(6):
            el = el.getnext()
            if el is None or el is root or any(a is el for a in root.iterancestors()):
                break
            region.append(el)
    classed = [e for e in doc.iter("span", "div", "p") if {"author", "by", "byline"} & set(
        (e.get("class") or "").lower().split())]
    closing = [e for e in root.iter("p", "div", "span") if re.search(r"作者[:：]", text_of(e)) and len(text_of(e)) < 40]
    for el in region + classed + closing:
        for piece in [text_of(c) for c in el.iter("span", "em", "div", "p") if c is not el] + [text_of(el)]:
            m = _AUTHOR.search(piece) or _REPORTER.match(piece)
            name = _names(m.group(1)) if m else ""
            if name:
                return name
    for xpath in ("//meta[@name='author']/@content",):
        found = doc.xpath(xpath)
        if found and re.search(r"记者|通讯员", found[0]):
            return found[0].strip()
    return ""


def _names(text: str) -> str:
    """记者 林晓 通讯员 周明 of "记者 林晓 通讯员 周明 2025-11-26 来源：…": up to a date, a label or a bar."""
    words = []
    for word in text.split():
        if re.search(r"\d|[:：|｜]", word) or len(words) == 4:
            break
        words.append(word)
    return " ".join(words) if words and len("".join(words)) <= 30 else ""


def find_date(doc, root, title_el) -> str:
    candidates = doc.xpath("//meta[@property='article:published_time' or @name='PubDate' or @name='publishdate' "
                           "or @name='pubdate']/@content") + doc.xpath("//time/@datetime")
    if title_el is not None:
        el = title_el
        for _ in range(4):
            el = el.getnext()
            if el is None or el is root:
                break
            candidates.append(text_of(el))
    candidates += [text_of(e) for e in doc.iter("em", "span", "div", "td") if re.search(r"time|date|info|ly", " ".join(
        [e.get("class") or "", e.get("id") or ""]).lower()) and len(text_of(e)) < 80]
    for text in candidates:
        m = _DATE.search(text or "")
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return ""
