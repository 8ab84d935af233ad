"""Renderings of a plan: the text tree, the speech table and the editable Markdown script."""

from __future__ import annotations

from .article import Article, Kind

CHARS_PER_SECOND = 4.5  # typical Mandarin news reading speed


def _duration(chars: int) -> str:
    seconds = round(chars / CHARS_PER_SECOND)
    return f"{seconds // 60}:{seconds % 60:02d}"


def render_tree(article: Article) -> str:
    out = [f"标题 title: {article.title}"]
    if article.kicker:
        out.append(f"引题 kicker: {article.kicker}")
    if article.subtitle:
        out.append(f"副题 subtitle: {article.subtitle}")
    if article.byline:
        out.append(f"署名 byline: {article.byline}")
    total = 0
    for s in article.sections:
        chars = s.char_count
        total += chars
        body = [p for p in s.paragraphs if p.kind in (Kind.BODY, Kind.LIST_ITEM)]
        indent = "  " * max(s.level, 1)
        out.append(f"{indent}[{s.index}] {s.title}  (line {s.line}; {len(body)} paragraphs, {chars} chars, "
                   f"~{_duration(chars)})")
        for sub in s.subheads:
            out.append(f"{indent}    subhead: {sub}")
    out.append(f"total: {len(article.sections)} sections, {total} chars, ~{_duration(total)} at "
               f"{CHARS_PER_SECOND} chars/s")
    if article.moves:
        out.append("moved (columns read out of order):")
        out.extend(f"  lines {m.from_lines[0]}–{m.from_lines[-1]} → after line {m.to_after_line}: {m.reason}"
                   for m in article.moves)
    if article.skipped:
        out.append("skipped:")
        out.extend(f"  line {k.line} ({k.reason}): {k.text}" for k in article.skipped)
    if article.warnings:
        out.append("warnings:")
        out.extend(f"  {w.message}" for w in article.warnings)
    return "\n".join(out)


def render_speech(article: Article) -> str:
    out = []
    for s in article.sections:
        out.append(f"# [{s.index}] {s.title}")
        for sentence in s.sentences:
            mark = " " if sentence.text.strip() == sentence.speech else "*"
            out.append(f"{mark} {sentence.text.strip()}\n  → {sentence.speech or '(pause)'}")
    return "\n".join(out)


def render_markdown(article: Article) -> str:
    """An editable script; `tingbao plan script.md` reads it back to the same speech."""
    out = ["---"]
    for key, value in (("title", article.title), ("kicker", article.kicker), ("subtitle", article.subtitle),
                       ("byline", article.byline), ("date", article.date)):
        if value:
            out.append(f"{key}: {value}")
    out += ["generator: tingbao plan --markdown", "---", ""]
    for m in article.moves:
        out += [f"<!-- moved lines {m.from_lines[0]}–{m.from_lines[-1]} after line {m.to_after_line}: "
                f"{m.reason.replace('--', '- -')} -->", ""]
    for w in article.warnings:
        out += [f"<!-- warning: {w.message} -->", ""]
    for s in article.sections:
        for p in s.paragraphs:
            if p.kind == Kind.HEADING:
                out += [f"{'#' * (s.level + 1)} {p.text}", ""]
            elif p.kind == Kind.SUBHEAD:
                out += [f"*{p.text}*", ""]
            elif p.kind in (Kind.BODY, Kind.LIST_ITEM, Kind.ELLIPSIS):
                out += [p.text, ""]
    for k in article.skipped:
        out += [f"<!-- skipped {k.reason}, line {k.line}: {k.text.replace('--', '- -')} -->", ""]
    return "\n".join(out)
