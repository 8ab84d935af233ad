"""index.html for an edition (player, chapters, live transcript) and for the output folder.

jinja2 with autoescaping; the page data goes in as JSON through `tojson`, which escapes
<, >, & and ', so article text can never close the script element. No CDN, no fonts:
the page works from a folder on a laptop.
"""

from __future__ import annotations

from pathlib import Path

from . import write_atomic


def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("tingbao", "templates"), autoescape=select_autoescape(["html"]),
                       keep_trailing_newline=True)


def edition_page(data: dict) -> str:
    """data: title, subtitle, byline, mp3, duration, chapters [{title,start,end,file}], sentences [{text,start,end}]."""
    return _env().get_template("edition.html").render(**data)


def write_index(output: Path, editions: list[dict], feed_name: str = "feed.xml") -> None:
    html = _env().get_template("index.html").render(
        editions=editions, feed=feed_name if (output / feed_name).is_file() else None)
    write_atomic(output / "index.html", html)
