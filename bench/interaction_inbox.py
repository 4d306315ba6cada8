"""The inbox's filtered listing over 1,000,000 items: p95 of one page
(50 rows, newest first, with its "1000+"-style count), on SQLite and
PostgreSQL, goal < 100 ms.

The items are written straight into the table (no classification: that is
``interaction_classify.py``'s business), from a seeded generator shaped
like a district's year: 9 sources, 12 categories, grades 90/8/2 % (一般 /
重要 / 紧急), most items resolved, about 1 % overdue, 30 % forwarded to one
of 10 departments, posting times over 365 days. Then ``ANALYZE``.

Timed, through ``rongmei.interaction.queries.inbox_page`` (what the admin
list and the API call): the first page and a page 20 pages deep (keyset
cursor) for each filter — none, source, category, grade, status "open",
department, overdue, two combinations, and a search for a common word —
rounds of each, p50/p95/max over all. Baseline in the same run: the same
filters the usual way, ``OFFSET`` pagination with an exact ``COUNT(*)``
(Django's ``Paginator``), first page and page 20; the ratio is baseline
p95 / inbox p95.

    .venv/bin/python bench/interaction_inbox.py [--items 1000000] [--db sqlite|postgres|both] [--rounds 5]

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

GOAL_MS = 100.0
SEED = 20261126
BATCH = 20_000
DEEP = 20  # pages


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def build(count: int) -> float:
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from rongmei.core import bootstrap
    from rongmei.interaction.intake import Row, _insert
    from rongmei.interaction.models import Department, InboxCategory

    bootstrap.migrate()
    categories = list(InboxCategory.objects.all())
    departments = list(Department.objects.all())
    rng = random.Random(SEED)  # noqa: S311 - reproducible test data
    sources = ["wechat", "weibo", "douyin", "kuaishou", "website", "hotline", "letter", "phone", "visit"]
    words = ["路灯", "垃圾", "噪音", "停车", "养老", "学校", "医院", "物业", "供暖", "油烟", "电梯", "公交"]
    now = timezone.now()
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = []
        for n in range(first, min(count, first + BATCH)):
            posted = now - dt.timedelta(minutes=rng.uniform(0, 365 * 24 * 60))
            grade = rng.choices(["normal", "important", "urgent"], [90, 8, 2])[0]
            age = (now - posted).total_seconds() / 3600
            first_due = posted + dt.timedelta(hours={"normal": 24, "important": 8, "urgent": 2}[grade])
            resolution_due = posted + dt.timedelta(hours={"normal": 120, "important": 72, "urgent": 24}[grade])
            department = rng.choice(departments) if rng.random() < 0.3 else None
            row = Row(
                source=rng.choice(sources),
                external_id=f"b{n}",
                posted_at=posted,
                pulled_at=posted,
                content=f"{rng.choice(words)}的问题{n}，希望尽快处理",
                author=f"网友{rng.randrange(50_000)}",
                category=rng.choice(categories),
                grade=grade,
                topic=rng.choice(words),
                first_response_due=first_due,
                resolution_due=resolution_due,
                department_id=department.pk if department else None,
                level="department" if department else "center",
            )
            late = rng.random() < 0.01 and age > 130  # the overdue ones
            if age < 24 and rng.random() < 0.5:
                row.status = rng.choice(["new", "assigned", "review"])
            elif late:
                row.status = rng.choice(["new", "assigned"])
            else:
                row.first_response_at = posted + dt.timedelta(hours=rng.uniform(0.2, 20))
                row.status = "answered"
                if age > 150:
                    row.status, row.resolved_at = "resolved", posted + dt.timedelta(hours=rng.uniform(20, 110))
            if row.status == "resolved":
                row.due_at = None
            elif row.first_response_at is None:
                row.due_at = first_due
            else:
                row.due_at = resolution_due
            rows.append(row)
        with transaction.atomic():
            _insert(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def filters():
    from rongmei.interaction.models import Department, InboxCategory
    from rongmei.interaction.queries import InboxFilter

    category = InboxCategory.objects.get(name="环境").pk
    department = Department.objects.order_by("pk").first().pk
    return {
        "all": InboxFilter(),
        "source=weibo": InboxFilter(source="weibo"),
        "category=环境": InboxFilter(category=category),
        "grade=urgent": InboxFilter(grade="urgent"),
        "status=open": InboxFilter(status="open"),
        "department": InboxFilter(department=department),
        "overdue": InboxFilter(overdue=True),
        "source+category": InboxFilter(source="hotline", category=category),
        "grade+status": InboxFilter(grade="urgent", status="unresolved"),
        "search 路灯": InboxFilter(q="路灯"),
    }


def measure(count: int, rounds: int, build_s: float) -> dict:
    from django.core.paginator import Paginator
    from django.db import connection

    from rongmei.interaction.models import Item
    from rongmei.interaction.queries import inbox_page

    def timed(run):
        started = time.perf_counter()
        run()
        return (time.perf_counter() - started) * 1000

    keyset, offset, slowest = [], [], {}
    for name, flt in filters().items():
        cursor = ""  # the cursor of page DEEP
        page = inbox_page(flt)
        for _ in range(DEEP - 1):
            if not page.next_cursor:
                break
            page = inbox_page(flt, cursor=page.next_cursor, count=False)
        cursor = page.next_cursor
        for _ in range(rounds):
            first = timed(lambda flt=flt: inbox_page(flt))
            deep = timed(lambda flt=flt, cursor=cursor: inbox_page(flt, cursor=cursor))
            keyset += [first, deep]
            slowest[name] = round(max(slowest.get(name, 0), first, deep), 1)
        query = flt.apply(Item.objects.all()).order_by("-posted_at", "-id")
        for _ in range(max(1, rounds // 2)):

            def classic(query=query, number=1):
                paginator = Paginator(query.select_related("category", "department", "assignee", "channel"), 50)
                page = paginator.get_page(number)
                list(page.object_list)
                return paginator.count

            offset += [timed(classic), timed(lambda query=query: classic(query, DEEP))]
    return {
        "vendor": connection.vendor,
        "items": Item.objects.count(),
        "build_s": build_s,
        "p50": percentile(keyset, 0.5),
        "p95": percentile(keyset, 0.95),
        "max": max(keyset),
        "offset_p50": percentile(offset, 0.5),
        "offset_p95": percentile(offset, 0.95),
        "slowest": slowest,
    }


def run_on(database: str, count: int, rounds: int) -> dict:
    args = ["--items", str(count), "--rounds", str(rounds)]
    return run_worker(__file__, args, database, label="inbox", timeout=7200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
        django.setup()
        build_s = build(args.items)
        print(json.dumps(measure(args.items, args.rounds, build_s), default=str))
        return 0
    ok, measured = True, True
    for database in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        r = run_on(database, args.items, args.rounds)
        if not r or r["items"] != args.items:
            print(f"{database}: INVALID {r}")
            measured = False
            continue
        passed = r["p95"] < GOAL_MS
        ok = ok and passed
        print(f"{r['vendor']}: {r['items']:,} items (written in {r['build_s']:.0f} s)")
        print(
            f"  inbox page (keyset, count capped at 1000): p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
            f"max {r['max']:.1f} ms (goal p95 < {GOAL_MS:.0f} ms) {'PASS' if passed else 'MISS'}"
        )
        print(
            f"  baseline, OFFSET + exact COUNT(*): p50 {r['offset_p50']:.1f} ms, p95 {r['offset_p95']:.1f} ms; "
            f"ratio baseline / inbox (p95): {r['offset_p95'] / r['p95']:.1f}x"
        )
        print(f"  slowest per filter (ms): {r['slowest']}")
    if not measured:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
