"""Proofreading speed: a 10,000-character story against a 50,000-entry
lexicon, goal p95 < 20 ms for ``rongmei.proofreading.engine.check``.

The lexicon is the starter lexicon plus random 2–6 character terms from a
seeded generator, built in memory (no database). The story is made of
seeded news-like sentences with a few known errors. The baseline, run in the
same process, is the obvious approach: ``str.find`` for every term of the
lexicon over the story. Exit status: 0 goal met, 1 goal missed.

    .venv/bin/python bench/proofreading.py [--runs 200] [--naive-runs 5] [--terms 50000] [--seed 2024]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_MS = 20.0
STORY_LENGTH = 10_000

SENTENCES = [
    "西城区融媒体中心今天召开全体会议，传达学习上级有关会议精神。",
    "会议强调，要坚持正确舆论导向，把好政治关、事实关、文字关。",
    "区委宣传部负责同志介绍了今年以来全区新闻宣传工作的主要情况。",
    "记者在金融街街道走访了解到，老旧小区改造工程已经全面完工。",
    "居民李大爷说：“电梯装好了，我们上下楼方便多了。”",
    "2024年6月1日，第十届北京西城文化节在什刹海开幕。",
    "活动持续三天，共有120家单位参加，吸引游客约3.5万人次。",
    "据统计，今年前五个月全区地区生产总值同比增长5.2%。",
    "街道办事处组织志愿者开展垃圾分类宣传，发放资料两千余份。",
    "专家指出，要进一步完善基层治理体系，提升公共服务水平。",
    "《北京西城报》将开设专栏，持续报道城市更新的新进展。",
    "社区卫生服务中心为辖区老人提供免费体检和健康咨询。",
    "我们的的目标是让每一位居民都能感受到实实在在的变化。",
    "区教委表示，新学期将新增学位八百个，缓解入学压力。",
    "（记者 王芳 通讯员 张伟）",
    "天桥演艺区推出二十余场惠民演出，票价最低仅需三十元。",
    "他说,项目建成后将成为市民休闲健身的好去处。",
    "相关部门将加强监督检查，确保各项措施落到实处！！",
]


def story(rng: random.Random) -> str:
    parts, length = [], 0
    while length < STORY_LENGTH:
        sentence = rng.choice(SENTENCES)
        if rng.random() < 0.15:
            sentence += "\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:STORY_LENGTH]


def synthetic_terms(rng: random.Random, count: int, common: str) -> list[str]:
    """Random 2–6 character terms: half of the characters from the story's
    own (so that some terms match), half from the first 5,000 CJK ideographs."""
    terms: set[str] = set()
    while len(terms) < count:
        length = rng.randint(2, 6)
        terms.add("".join(rng.choice(common) if rng.random() < 0.5 else chr(0x4E00 + rng.randrange(5000))
                          for _ in range(length)))  # fmt: skip
    return sorted(terms)


def naive_find(text: str, terms: list[str]) -> list[tuple[int, str]]:
    """Every occurrence of every term, by ``str.find``."""
    found = []
    for term in terms:
        position = text.find(term)
        while position != -1:
            found.append((position, term))
            position = text.find(term, position + 1)
    return found


def timings_ms(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def describe(times: list[float]) -> str:
    return f"p50 {statistics.median(times):8.2f} ms   p95 {p95(times):8.2f} ms   max {max(times):8.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--naive-runs", type=int, default=5)
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rongmei-bench-") as data_dir:
        os.environ["RONGMEI_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
        import django

        django.setup()
        from rongmei.proofreading.engine import Lexicon, Term, check
        from rongmei.proofreading.starter import STARTER_ENTRIES

        rng = random.Random(args.seed)  # noqa: S311 - reproducible test data, not security
        text = story(rng)
        common = "".join(sorted({ch for ch in "".join(SENTENCES) if "\u4e00" <= ch <= "\u9fff"}))
        starter = [Term(*entry[:5]) for entry in STARTER_ENTRIES]  # kind, term, suggestion, severity, note
        synthetic = [
            Term("forbidden" if rng.random() < 0.5 else "sensitive", term, "", "warning")
            for term in synthetic_terms(rng, args.terms - len(starter), common)
        ]
        entries = starter + synthetic

        started = time.perf_counter()
        lexicon = Lexicon(entries)
        build_ms = (time.perf_counter() - started) * 1000
        hits = check(text, lexicon=lexicon)
        check(text, lexicon=lexicon)  # warm-up

        engine_times = timings_ms(lambda: check(text, lexicon=lexicon), args.runs)
        lexicon_times = timings_ms(lambda: lexicon.find(text), args.runs)
        searchable = [entry.term for entry in entries if entry.kind != "leader_order"]
        naive_matches = len(naive_find(text, searchable))
        naive_times = timings_ms(lambda: naive_find(text, searchable), args.naive_runs)

    engine_p95 = p95(engine_times)
    print(f"story: {len(text):,} characters; lexicon: {len(entries):,} entries, compiled in {build_ms:.0f} ms")
    print(f"hits: {len(hits)} (lexicon matches found by str.find: {naive_matches})")
    print(f"check(), all rules, {args.runs} runs:     {describe(engine_times)}")
    print(f"Lexicon.find(), lexicon only, {args.runs} runs: {describe(lexicon_times)}")
    print(f"naive str.find loop, {args.naive_runs} runs:   {describe(naive_times)}")
    naive_median = statistics.median(naive_times)
    print(f"ratio naive / check() (medians): {naive_median / statistics.median(engine_times):.0f}x")
    print(f"ratio naive / Lexicon.find() (medians): {naive_median / statistics.median(lexicon_times):.0f}x")
    met = engine_p95 < GOAL_MS
    print(f"goal p95 < {GOAL_MS:.0f} ms: {'PASS' if met else 'MISS'} ({engine_p95:.2f} ms)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
