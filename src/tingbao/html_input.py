"""A saved web page -> tingbao's Markdown script (front matter, `##` headings, paragraphs).

readability-lxml finds the page's main content; we then walk that node of the original tree
ourselves, because readability flattens what we need: strong-only subheads, figure captions.
Each block is written on its own line of the page (lxml's sourceline) when the page has line
breaks, so plan/build line numbers point into the HTML file the user has.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re

from .errors import InputError
from .html_page import around_headline, find_byline, find_date, flat, headline, is_chrome, text_of

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|"""
                           rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312"}
_SKIP_TAGS = {"script", "style", "nav", "aside", "footer", "form", "button", "select", "noscript", "iframe",
              "svg", "template", "input", "textarea", "head", "map", "object", "video", "audio"}
_CAPTION_CLASS = {"caption", "pic-desc", "picdesc", "img-desc", "imgdesc", "photo-desc", "desc", "pictext", "tuzhu"}
_BLOCKS = {"p", "div", "section", "article", "li", "ul", "ol", "td", "tr", "tbody", "table", "blockquote",
           "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "center", "main",
           "header", "founder-content", "pre", "br", "hr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_INFO_LINE = re.compile(r"来源[:：]|作者[:：]|编辑[:：]|发布时间|浏览|字号|点击数")
_DATE = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}")
_SENTENCE_END = re.compile(r"[。！？；]")


def decode_html(data: bytes) -> tuple[str | None, str]:
    """The text of a page whose <meta charset> we trust; (None, "") when the caller must detect."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None, ""
    declared = (m.group(1) or m.group(2)).decode("ascii").lower()
    name = "gb18030" if declared in _GB else declared  # GB2312/GBK pages use GBK-only characters (镕)
    try:
        codecs.lookup(name)
        return data.decode(name), name.replace("_", "-")
    except (LookupError, UnicodeDecodeError):
        return None, ""  # a wrong declaration: the usual detection decides


def mhtml_html(data: bytes, name: str) -> bytes:
    """The page inside a saved .mhtml (MIME multipart): its first text/html part, as UTF-8 or its charset."""
    if looks_like_html(data):
        return data  # a plain page saved under an .mhtml name
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and charset.isascii() and not _META_CHARSET.search(payload[:4096]):
                payload = f'<meta charset="{charset}">'.encode("ascii") + payload
            return payload
    raise InputError(f"{name}: no HTML page inside this MHTML file")


def looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:4096].lower()


def to_script(page: str, name: str) -> str:
    """The article of a page as a Markdown script tingbao's Markdown reader understands."""
    from lxml import html as lxml_html
    from readability import Document

    page = _XML_DECLARATION.sub("", page)  # lxml refuses a str that declares its own encoding
    try:
        doc = lxml_html.document_fromstring(page)
        summary = Document(page).summary(html_partial=True)
    except Exception as exc:  # lxml/readability raise many types on garbage; all mean "not a page"
        raise InputError(f"{name}: cannot read this HTML page ({type(exc).__name__})") from None
    root = _content_node(doc, flat(lxml_html.fragment_fromstring(summary, create_parent="div").text_content()))
    if root is None:
        raise InputError(f"{name}: no article text found in this HTML page (is it an index or a list page?)")
    title_el, title = headline(doc, root)
    meta = {"title": title, **around_headline(title_el), "date": find_date(doc, root, title_el)}
    meta.setdefault("byline", find_byline(doc, title_el, root))
    lines: list[tuple[int, str]] = []
    # The content node may hold the page's own head (headline, 引题, 副题, byline, date line): said once, up front.
    _walk(root, lines, {flat(v) for k, v in meta.items() if v and k != "date"}, [None])
    if sum(len(t) for _, t in lines if not t.startswith((">", "#"))) < 30:
        raise InputError(f"{name}: no article text found in this HTML page (is it an index or a list page?)")
    return _render(meta, lines)


def _content_node(doc, summary: str):
    """The original element holding what readability kept: the common ancestor of matching blocks."""
    if len(summary) < 30:
        return None
    hits = []
    for el in doc.iter("p", "td", "div", "section", "li", "founder-content"):
        own = flat(el.text_content())
        if len(own) >= 20 and own in summary:
            hits.append(el)
    if not hits:
        return None
    ancestors = list(hits[0].iterancestors())[::-1] + [hits[0]]
    common = None
    for a in ancestors:
        if all(a is h or any(x is a for x in h.iterancestors()) for h in hits):
            common = a
    # readability keeps one candidate: a page wrapping each paragraph in its own <div> would lose
    # all but one. Climb while the parent holds clearly more prose than the node.
    while common is not None and common.getparent() is not None and common.tag != "body":
        if _prose(common) * 2 > _prose(common.getparent()):
            break
        common = common.getparent()
    return common


def _prose(node) -> int:
    """Characters of sentence-like leaf blocks outside chrome: what an article node is made of."""
    total = 0
    for el in node:
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or is_chrome(el):
            continue
        if _has_blocks(el):
            total += _prose(el)
            continue
        words = text_of(el)
        if len(words) >= 20 and words.endswith(("。", "！", "？", "”")) and not _link_heavy(el):
            total += len(words)
    return total


def _has_blocks(el) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCKS and c.tag != "br" and text_of(c) for c in el)


def _is_caption(el, previous) -> bool:
    classes = set((el.get("class") or "").lower().split())
    if el.tag == "figcaption" or classes & _CAPTION_CLASS:
        return True
    text = text_of(el)
    after_image = previous is not None and previous.tag != "figure" and previous.find(".//img") is not None \
        and not text_of(previous)
    # a short line right under a bare image is its caption; a bold line there is a subhead
    return (after_image and el.tag not in _HEADINGS and not _strong_only(el) and len(text) <= 80
            and not _SENTENCE_END.search(text.rstrip("。")))


def _link_heavy(el) -> bool:
    text = len(flat(el.text_content()))
    links = sum(len(flat(a.text_content())) for a in el.iter("a"))
    return text > 0 and links / text > 0.5


def _emit(lines: list[tuple[int, str]], el, text: str, mark: str = "") -> None:
    lines.append((el.sourceline or 0, mark + _literal(text)))


_MARKUP = {"#": "＃", ">": "＞", "<": "＜", "*": "＊", "_": "＿"}


def _literal(text: str) -> str:
    """The page's text never reads as script markup (#话题# is not a heading): full-width look-alikes."""
    if text[:1] in _MARKUP:
        text = _MARKUP[text[0]] + text[1:]
    if text[-1:] in "#*_":
        text = text[:-1] + _MARKUP[text[-1]]
    return text


def _walk(node, lines: list[tuple[int, str]], head: set[str], previous: list) -> None:
    for el in node:
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or is_chrome(el):
            continue
        text = text_of(el)
        if el.tag == "figure":
            for cap in el.iter("figcaption"):
                if text_of(cap):
                    _emit(lines, cap, text_of(cap), "> ")
            previous[0] = el
            continue
        if not text:
            previous[0] = el if el.find(".//img") is not None else previous[0]
            continue
        if _link_heavy(el):
            continue
        if _has_blocks(el):
            _walk(el, lines, head, previous)  # a container: its blocks carry the structure
            previous[0] = None
            continue
        if flat(text) in head or len(text) < 60 and (_INFO_LINE.search(text) and _DATE.search(text) or any(
                h in flat(text) and re.match(r"(作者|文|本报记者|记者)", text) for h in head)):
            continue
        if _is_caption(el, previous[0]):
            _emit(lines, el, text, "> ")
        elif el.tag in _HEADINGS:
            _emit(lines, el, text, "## " if el.tag in ("h1", "h2") else "### ")
        elif _strong_only(el) and len(text) <= 40 and not text.endswith("。"):
            _emit(lines, el, text, "## ")
        else:
            for part in _br_parts(el):
                _emit(lines, el, part)
        previous[0] = el


def _strong_only(el) -> bool:
    outer = [s for s in el.iter("strong", "b") if s.getparent().tag not in ("strong", "b")]
    strong = "".join(flat(s.text_content()) for s in outer)
    return bool(strong) and strong == flat(el.text_content())


def _br_parts(el) -> list[str]:
    """A paragraph broken with <br> is several lines of the page."""
    if el.find(".//br") is None:
        return [text_of(el)]
    from lxml import etree

    raw = etree.tostring(el, method="html", encoding="unicode")
    parts = re.split(r"<br\s*/?>", raw, flags=re.I)
    from lxml import html as lxml_html

    out = [text_of(lxml_html.fragment_fromstring(p, create_parent="div")) for p in parts]
    return [p for p in out if p]


def _render(meta: dict[str, str], lines: list[tuple[int, str]]) -> str:
    head = ["---"] + [f"{k}: {v}" for k, v in meta.items() if v] + ["generator: tingbao html", "---"]
    out = list(head)
    for sourceline, text in lines:
        out += [""] * max(0, sourceline - 1 - len(out))  # the page's own line number, while it is ahead
        out.append(text)
    return "\n".join(out) + "\n"
