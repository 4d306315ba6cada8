"""Offline generation of every channel version for 1,000 demo-sized
stories, goal ≥ 50 stories/s for ``format.generate`` on the twelve channels
of the demo center (WeChat, Weibo, four short-video platforms, newspaper,
periodical, TV, website in Chinese and English) and a partner-media package.

Stories are built in memory from ``rongmei/stories/demo_data.py`` (cycled,
each with its own number so no cache is shared between stories), with no
database: generation is what is measured, not saving. Each story runs
TextRank once (keywords, summaries) and then every format. The baseline, in
the same run, is jieba's segmentation of the same texts alone (the least any
Chinese text processing of these stories costs). Exit status: 0 goal met,
1 goal missed.

    .venv/bin/python bench/versions_generate.py [--stories 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_PER_SECOND = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rongmei-bench-") as data_dir:
        os.environ["RONGMEI_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
        import django

        django.setup()
        from rongmei.core.text import tokenizer
        from rongmei.distribution.demo import CHANNELS
        from rongmei.distribution.models import Channel
        from rongmei.stories.demo_data import STORIES
        from rongmei.stories.models import Story
        from rongmei.versions import text as rules
        from rongmei.versions.formats import format_for

        channels = [
            Channel(kind=kind, name=name, language=language, url=url) for kind, name, language, url, _ in CHANNELS
        ]
        channels.append(Channel(kind="partner", name="合作媒体", language="zh-hans"))  # the 素材包
        stories = []
        for number in range(args.stories):
            data = STORIES[number % len(STORIES)]
            body = "".join(f"<p>{paragraph}</p>" for paragraph in data["body"])
            stories.append(
                Story(
                    title=f"{data['title']}（{number}）",
                    kicker=data["kicker"],
                    subtitle=data["subtitle"],
                    summary=data["summary"] if number % 2 else "",  # half need a TextRank summary
                    body=body,
                    photographers=data["photographers"],
                )
            )
        characters = sum(len(rules.plain(story.body)) for story in stories) / len(stories)
        texts = [f"{story.title}。{rules.plain(story.body)}" for story in stories]
        tokenizer().lcut(texts[0])  # load the dictionary outside the timings
        format_for(channels[0]).generate(stories[0], channels[0])  # and TextRank's tagger
        stories[0]._versions_source = None

        started = time.perf_counter()
        for text in texts:
            tokenizer().lcut(text)
        baseline = time.perf_counter() - started

        started = time.perf_counter()
        versions = 0
        for story in stories:
            for channel in channels:
                format_for(channel).generate(story, channel)
                versions += 1
        elapsed = time.perf_counter() - started

    rate = len(stories) / elapsed
    print(f"{len(stories):,} stories of {characters:.0f} characters on average, {len(channels)} channels")
    print(f"generate every version: {elapsed:.2f} s, {rate:.0f} stories/s ({versions:,} versions)")
    print(f"baseline, jieba segmentation of the same texts alone: {baseline:.2f} s, {len(stories) / baseline:.0f}/s")
    print(f"ratio generation / segmentation: {elapsed / baseline:.1f}x")
    met = rate >= GOAL_PER_SECOND
    print(f"goal ≥ {GOAL_PER_SECOND:.0f} stories/s: {'PASS' if met else 'MISS'} ({rate:.0f}/s)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
