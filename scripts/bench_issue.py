"""Time a day's issue: N generated articles built cold, then rebuilt after one article changed.

    .venv/bin/python scripts/bench_issue.py --articles 40 --paragraphs 30     # ~the issue's 5-hour day
    .venv/bin/python scripts/bench_issue.py --articles 4 --paragraphs 3       # a quick look

Uses the configured engine (auto: edge when reachable, else the offline voice) with a fresh clip cache
in a temporary folder, so "cold" is cold. Prints wall times, audio length, engine calls and peak RSS.

Figures (offline voice, 2 shared cores, other builds running beside it, 2026-11-26):
  6 articles x 4 paragraphs:   7.0 min of audio, cold 112 s (3.7x real time), one changed 26 s (6 engine calls), 533 MB
  12 articles x 10 paragraphs: 32.7 min of audio, cold 326 s (6.0x real time), one changed 45 s (12 calls), 574 MB
Peak memory grows by ~40 MB for 4.7x the audio (the offline model dominates). At ~6x real time a 5-hour day of
40 articles would take ~50 minutes cold on these cores, so the issue's 10-minute goal is not met; synthesis speed,
not the day's assembly, is what limits it. A rebuild after one article changed synthesises only that article.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

TOPICS = ("口袋公园 图书馆 渡口码头 菜市场 公交线路 社区食堂 学校操场 老街改造 海堤步道 夜间集市 垃圾分类 养老驿站 "
          "滨江绿道 旧厂房 停车场 快递驿站 医院门诊 体育中心 文化馆 农贸市场").split()


def article(n: int, paragraphs: int, variant: str = "") -> str:
    topic = TOPICS[n % len(TOPICS)]
    lines = [f"{topic}建设迎来第{n + 1}个新进展{variant}", ""]
    for k in range(paragraphs):
        if k and k % 5 == 0:
            lines += [f"{'一二三四五六七八九十'[(k // 5 - 1) % 10]}、第{k // 5}个阶段", ""]
        lines += [f"据介绍，{topic}项目第{k + 1}期工程于今年{k % 12 + 1}月开工，总投资约{(n + 3) * (k + 2)}万元，"
                  f"预计惠及周边{(k + 1) * 1200}户居民。{variant}负责人表示，工程将在保证质量的前提下尽快完工。", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--paragraphs", type=int, default=30)
    parser.add_argument("--engine", default="auto")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from tingbao.config import Settings
    from tingbao.daily import build_issue

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "articles"
        folder.mkdir()
        for n in range(args.articles):
            (folder / f"{n:02d}.txt").write_text(article(n, args.paragraphs), encoding="utf-8")
        settings = Settings(engine=args.engine, output=str(root / "out"), cache_dir=str(root / "cache"))
        begin = time.perf_counter()
        cold = build_issue([str(folder)], settings, "2025-11-26", on_message=lambda m: print(m, file=sys.stderr))
        cold_wall = time.perf_counter() - begin
        (folder / "01.txt").write_text(article(1, args.paragraphs, "（更新）"), encoding="utf-8")
        begin = time.perf_counter()
        warm = build_issue([str(folder)], settings, "2025-11-26")
        warm_wall = time.perf_counter() - begin
        calls = sum(i.result.engine_calls for i in warm.items if i.result) + warm.engine_calls
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{args.articles} articles, {cold.duration / 60:.1f} min of audio")
        print(f"cold: {cold_wall:.1f} s ({cold.duration / cold_wall:.1f}x real time)")
        print(f"one article changed: {warm_wall:.1f} s, {calls} engine calls "
              f"({sum(1 for i in warm.items if i.result and i.result.synthesized)} article re-synthesised)")
        print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
