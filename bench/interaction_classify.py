"""The inbox's intake: classification and insert throughput for 100,000
items, goal ≥ 2,000 items/s.

Each item goes the way a pull sends it (``rongmei.interaction.intake.ingest``,
batches of 5,000, each one transaction): cleaned, looked up for duplicates,
categorised by the keyword lexicon (Aho-Corasick; jieba only where a
dictionary word crosses a match's edge), flagged against the proofreading
lexicon, graded (keyword rules, repeats per author, repeats and surges per
topic, counted in memory per batch), given its deadlines, and written with
one ``executemany`` of ``INSERT … ON CONFLICT DO NOTHING`` per batch. The
texts are citizens' comments drawn from a seeded generator (places ×
complaints × filler, some emoji, 1 in 50 long); 5,000 authors; posting times
spread over 30 days. jieba's dictionary is loaded before the clock starts (a
worker has it loaded); the classifier is made inside the timed part (its
automaton of crossing words is built once a process: about a second).

Baselines in the same run and database, the same 100,000 rows unclassified
into an emptied table: (1) Django's ``bulk_create`` in the same batches
(SQLite splits each into statements of 999 parameters at most), (2) the
intake's own insert (one ``executemany`` of ``INSERT … ON CONFLICT DO
NOTHING`` per batch) with no classifying; the ratios say what classifying
costs and what the insert gains over ``bulk_create``.

    .venv/bin/python bench/interaction_classify.py [--items 100000] [--db sqlite|postgres|both]

PostgreSQL is taken from ``BENCH_POSTGRES_URL`` (default
postgres://postgres@127.0.0.1:5432/postgres); a temporary database is
created there and dropped afterwards. Exit status: 0 goal met, 1 missed,
2 could not measure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

from _support import run_worker

GOAL = 2000.0
SEED = 20261126

PLACES = [
    "德胜门内大街",
    "新街口东街",
    "西四北大街",
    "护国寺街",
    "西直门南小街",
    "金融街",
    "月坛北街",
    "广安门内",
    "牛街",
    "陶然亭",
    "白纸坊",
    "天桥",
    "大栅栏",
    "什刹海",
    "展览路",
]
COMPLAINTS = [
    "的路灯坏了好几天了，晚上出行不便",
    "垃圾桶满了没人清理，异味很大",
    "有人占道经营，晚上噪音扰民",
    "养老驿站的助餐服务很好，希望增加送餐上门",
    "社区卫生服务中心挂号太难",
    "老旧小区加装电梯什么时候开始",
    "路口红绿灯时间太短，老人过马路很危险",
    "学校门口放学时车辆拥堵",
    "餐馆油烟直接排到居民窗户",
    "公园健身器材坏了",
    "图书馆的展览很好看，点赞",
    "请问公租房申请需要什么材料",
    "供暖不热，家里只有十五度",
    "拖欠工资三个月了怎么办",
    "感谢街道工作人员，辛苦了",
    "共享单车乱停挡住盲道",
    "楼道里有人飞线充电，有安全隐患",
    "闻到燃气味，担心燃气泄漏",
]
FILLER = ["希望尽快处理。", "已经反映过多次了。", "谢谢！", "麻烦看一下。", "", "😀", "👍", "请相关部门关注。"]


def texts(count: int, seed: int = SEED) -> list[tuple[str, str, float]]:
    """(text, author, hours ago) for ``count`` items."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    rows = []
    for _ in range(count):
        text = rng.choice(PLACES) + rng.choice(COMPLAINTS) + "，" + rng.choice(FILLER)
        if rng.random() < 0.02:
            text = text * 40  # a long comment
        rows.append((text, f"网友{rng.randrange(5000)}", rng.uniform(0, 24 * 30)))
    return rows


def incoming(rows, prefix: str):
    import datetime as dt

    from django.utils import timezone

    from rongmei.interaction.intake import Incoming

    now = timezone.now()
    sources = ["wechat", "weibo", "douyin", "hotline", "website", "letter", "phone"]
    return [
        Incoming(
            source=sources[n % len(sources)],
            external_id=f"{prefix}{n}",
            content=text,
            author=author,
            posted_at=now - dt.timedelta(hours=hours),
        )
        for n, (text, author, hours) in enumerate(rows)
    ]


def measure(count: int) -> dict:
    from django.db import connection, transaction
    from django.db.models import Count

    from rongmei.core import bootstrap
    from rongmei.core.text import tokenizer
    from rongmei.interaction import intake
    from rongmei.interaction.classify import Classifier
    from rongmei.interaction.models import Item

    bootstrap.migrate()
    tokenizer().lcut("预热结巴分词词典")  # loaded before the clock, as in a running worker
    rows = texts(count)

    # Baselines: the same rows, unclassified, written (1) with Django's
    # bulk_create in the intake's batches, (2) by the intake's own insert.
    from django.utils import timezone

    now = timezone.now()
    plain = [
        Item(**{k: getattr(row, k) for k in ("source", "external_id", "content", "author", "posted_at")}, pulled_at=now)
        for row in (intake._item(e, now) for e in incoming(rows, "plain-"))
    ]
    started = time.perf_counter()
    for start in range(0, len(plain), intake.BATCH):
        Item.objects.bulk_create(plain[start : start + intake.BATCH])
    insert_s = time.perf_counter() - started
    Item.objects.all().delete()
    raw = [intake._item(e, now) for e in incoming(rows, "raw-")]
    started = time.perf_counter()
    for start in range(0, len(raw), intake.BATCH):
        with transaction.atomic():  # as the intake writes each batch
            intake._insert(raw[start : start + intake.BATCH])
    raw_s = time.perf_counter() - started
    Item.objects.all().delete()

    entries = incoming(rows, "bench-")
    started = time.perf_counter()
    result = intake.ingest(entries, classifier=Classifier())
    full_s = time.perf_counter() - started
    again = intake.ingest(entries[:5000])  # duplicates: nothing written
    grades = dict(Item.objects.values_list("grade").annotate(n=Count("id")).order_by())
    return {
        "vendor": connection.vendor,
        "batch": intake.BATCH,
        "items": count,
        "created": result["created"],
        "duplicates_on_repeat": again["duplicates"],
        "full_s": full_s,
        "full_rate": count / full_s,
        "insert_s": insert_s,
        "insert_rate": count / insert_s,
        "raw_rate": count / raw_s,
        "grades": grades,
        "categorised": Item.objects.exclude(category__name="其他").count(),
    }


def run_on(database: str, count: int) -> dict:
    return run_worker(__file__, ["--items", str(count)], database, label="inbox-classify", timeout=7200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
        django.setup()
        print(json.dumps(measure(args.items), default=str))
        return 0
    ok, measured = True, True
    for database in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        r = run_on(database, args.items)
        if not r or r["created"] != args.items or r["duplicates_on_repeat"] != min(5000, args.items):
            print(f"{database}: INVALID {r}")
            measured = False
            continue
        passed = r["full_rate"] >= GOAL
        ok = ok and passed
        print(
            f"{r['vendor']}: {r['items']:,} items classified, graded and inserted in {r['full_s']:.1f} s: "
            f"{r['full_rate']:,.0f} items/s (goal ≥ {GOAL:,.0f}/s) {'PASS' if passed else 'MISS'}"
        )
        print(
            f"  baseline 1, Django bulk_create alone (batches of {r['batch']:,}, no classifying): "
            f"{r['insert_rate']:,.0f} items/s; ratio {r['full_rate'] / r['insert_rate']:.2f}"
        )
        print(
            f"  baseline 2, the intake's own insert alone (no classifying): {r['raw_rate']:,.0f} items/s; "
            f"ratio {r['full_rate'] / r['raw_rate']:.2f}"
        )
        print(
            f"  grades {r['grades']}; {r['categorised']:,} in a category other than 其他; "
            f"a repeated pull of 5,000: {r['duplicates_on_repeat']:,} duplicates, nothing written"
        )
    if not measured:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
