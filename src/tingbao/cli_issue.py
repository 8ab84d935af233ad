"""`tingbao issue`: the day's articles as their own editions and as one episode for the day."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("articles", nargs=-1, required=True)
@click.option("--date", "date", required=True, help="The day of the issue, YYYY-MM-DD (spoken in the opener).")
@click.option("--title", help="The episode's title (default: the series title and the date).")
@click.option("--order", type=click.Choice(["file", "size", "config"]), default="file", show_default=True,
              help="file: as given (a folder's files sorted); size: longest first; config: [series] issue_order.")
@click.option("-o", "--output", help="Output folder (default: output/).")
@click.option("--engine", help="auto, local or edge.")
@click.option("--voice", help="Voice name (see `tingbao voices`).")
@click.option("--rate", help="Speaking rate, e.g. +10%.")
@click.option("--jobs", type=int, help="Parallel synthesis workers.")
@click.option("--bitrate", type=int, help="MP3 bitrate in kbps (default 64).")
@click.option("--cache-dir", help="Clip cache folder.")
@click.option("--model-dir", help="Folder with the offline voice files.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="tingbao.toml to use.")
def issue(articles: tuple[str, ...], date: str, title: str | None, order: str, config_path: str | None,
          **options) -> None:
    """Build every article of ARTICLES (files or folders) and the day's episode, output/issue-<date>/."""
    from .config import load_settings
    from .daily import build_issue

    settings = load_settings(config_path, **options)

    def done(item) -> None:
        if item.error:
            named = item.error if item.article in item.error else f"{item.article}: {item.error}"
            click.echo(f"tingbao: {named}", err=True)
        else:
            click.echo(f"{item.result.folder}/{item.result.slug}.mp3  {round(item.result.duration)} s")

    result = build_issue(list(articles), settings, date, title, order, on_message=lambda m: click.echo(m, err=True),
                         on_done=done)
    minutes, seconds = divmod(round(result.duration), 60)
    click.echo(f"{result.folder}/{result.slug}.mp3  {minutes}:{seconds:02d}, {len(result.articles)} articles")
    click.echo(f"chunks: {result.synthesized} synthesised, {result.cached} from cache; wall time {result.wall:.1f} s")
    for warning in result.warnings:
        click.echo(f"tingbao: warning: {warning}", err=True)
    failed = [i for i in result.items if i.error]
    if failed:
        click.echo(f"{len(failed)} articles failed and are not in the day's episode", err=True)
        sys.exit(1)
