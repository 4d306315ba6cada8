"""The annual self-evaluation report (绩效自评报告) over a year of 1,000,000
metric and expenditure rows: goal < 5 s on SQLite and on PostgreSQL.

    .venv/bin/python bench/performance_report.py [--rows 1000000] [--db sqlite|postgres|both] [--rounds 3]

Set-up, in a child process on a fresh database (SQLite in a temporary data
dir; PostgreSQL in a temporary database created at ``BENCH_POSTGRES_URL``,
default postgres://postgres@127.0.0.1:5432/postgres, and dropped
afterwards): migrations, the performance demo (the seed's 2024 and its 2023
baseline, indicators and text blocks), then, bulk-inserted into 2024 and
timed, the rows the report aggregates, split as

- 50 % expenditures (``Expenditure``) spread over the year's budget lines
  and months,
- 40 % channel statistics (``ChannelStat``): one row per account, platform
  and month, for as many extra accounts as it takes,
- 10 % placements (``Placement``), one piece each, over the year's days.

Timed: ``report.write_files`` for 2024 (every figure, the year-on-year
changes, the scorecard, then .docx, .html and .md; no PDF), ``--rounds``
times, the median. Baselines in the same run, on the same database: (a)
the same report for a year with text blocks and indicators but no rows (what
the report costs without data), and (b) one ``SELECT COUNT(*)`` over each
of the three tables (what merely touching the rows costs). The ratios say
how the report's cost grows with the data, which carries over between
machines better than seconds.

Exit status: 0 goal met, 1 goal missed, 2 could not measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from _support import run_worker

GOAL_S = 5.0
BATCH = 5000
SEED = 20241231
YEAR = 2024
EMPTY_YEAR = 2026


def _insert(rows: int) -> dict:
    from rongmei.performance.models import BudgetLine, ChannelStat, Expenditure, Placement, Platform

    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not secrets
    expenditures, stats = rows // 2, rows * 4 // 10
    placements = rows - expenditures - stats
    lines = list(BudgetLine.objects.filter(year__year=YEAR))
    timings = {}

    started = time.perf_counter()
    batch = []
    for n in range(expenditures):
        batch.append(
            Expenditure(
                line=lines[n % len(lines)],
                month=1 + n % 12,
                amount=Decimal(rng.randint(1, 9999)) / 10000,
                voucher=f"B-{n}",
                source="import",
            )
        )
        if len(batch) == BATCH:
            Expenditure.objects.bulk_create(batch)
            batch = []
    Expenditure.objects.bulk_create(batch)
    timings["expenditures_s"] = time.perf_counter() - started

    started = time.perf_counter()
    platforms = list(Platform.values)
    per_account = len(platforms) * 12
    batch = []
    for n in range(stats):
        account, rest = divmod(n, per_account)
        platform, month = platforms[rest // 12], 1 + rest % 12
        batch.append(
            ChannelStat(
                platform=platform,
                account=f"压测账号{account}",
                year=YEAR,
                month=month,
                posts=rng.randint(0, 300),
                reads=rng.randint(0, 900000),
                followers=rng.randint(0, 50000),
                follower_growth=rng.randint(-50, 500),
                live_streams=rng.randint(0, 5),
                live_views=rng.randint(0, 90000),
            )
        )
        if len(batch) == BATCH:
            ChannelStat.objects.bulk_create(batch)
            batch = []
    ChannelStat.objects.bulk_create(batch)
    timings["channel_stats_s"] = time.perf_counter() - started

    started = time.perf_counter()
    levels = ["central", "municipal", "online"]
    first = dt.date(YEAR, 1, 1)
    batch = []
    for n in range(placements):
        batch.append(
            Placement(
                outlet=f"媒体{n % 300}",
                level=levels[n % 3],
                programme="",
                date=first + dt.timedelta(days=n % 365),
                title=f"压测稿件{n}",
            )
        )
        if len(batch) == BATCH:
            Placement.objects.bulk_create(batch)
            batch = []
    Placement.objects.bulk_create(batch)
    timings["placements_s"] = time.perf_counter() - started
    timings["counts"] = {"expenditures": expenditures, "channel_stats": stats, "placements": placements}
    return timings


def worker(rows: int, rounds: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
    django.setup()
    from django.db import connection, transaction

    from rongmei.core import bootstrap
    from rongmei.core.audit import audit_context
    from rongmei.performance import demo, frameworks, report
    from rongmei.performance.models import ChannelStat, Expenditure, FiscalYear, Indicator, Placement, TextBlock

    bootstrap.migrate()
    with audit_context(), transaction.atomic():
        demo.load()
        empty = FiscalYear.objects.create(year=EMPTY_YEAR, unit_name=demo.UNIT)
        TextBlock.objects.bulk_create(
            TextBlock(year=empty, key=b.key, text=b.text) for b in TextBlock.objects.filter(year__year=YEAR)
        )
        frameworks.write_tree(Indicator, demo.INDICATORS_2024, year=empty)

    started = time.perf_counter()
    with transaction.atomic():
        timings = _insert(rows)
    insert_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as a database in service would be (autovacuum; SQLite's optimize)

    out = Path(tempfile.mkdtemp(prefix="rongmei-bench-report-"))
    try:

        def timed(year: int) -> float:
            began = time.perf_counter()
            paths, _skipped = report.write_files(year, out / f"r{year}", pdf=False)
            assert all(p.stat().st_size for p in paths)
            return time.perf_counter() - began

        timed(YEAR)  # warm-up: imports, templates, the database's page cache
        full = [timed(YEAR) for _ in range(rounds)]
        empty_runs = [timed(EMPTY_YEAR) for _ in range(rounds)]
        counts = []
        for _ in range(rounds):
            began = time.perf_counter()
            total = Expenditure.objects.count() + ChannelStat.objects.count() + Placement.objects.count()
            counts.append(time.perf_counter() - began)
        text = (out / f"r{YEAR}.md").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "vendor": connection.vendor,
        "rows": sum(timings["counts"].values()),
        "counted": total,
        "insert_s": insert_s,
        "insert_detail": {k: v for k, v in timings.items() if k != "counts"},
        "report_s": statistics.median(full),
        "report_runs": full,
        "empty_s": statistics.median(empty_runs),
        "count_s": statistics.median(counts),
        "report_chars": len(text),
    }


def run_on(database: str, rows: int, rounds: int) -> dict:
    args = ["--rows", str(rows), "--rounds", str(rounds)]
    return run_worker(__file__, args, database, label="performance", timeout=7200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.rows, args.rounds), default=str))
        return 0
    ok, measured = True, True
    for database in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        r = run_on(database, args.rows, args.rounds)
        if not r or r["rows"] != args.rows:
            print(f"{database}: INVALID")
            measured = False
            continue
        passed = r["report_s"] < GOAL_S
        ok = ok and passed
        detail = ", ".join(f"{k.removesuffix('_s')} {v:.1f} s" for k, v in r["insert_detail"].items())
        rate = r["rows"] / r["insert_s"]
        print(f"{r['vendor']}: {r['rows']:,} rows bulk-inserted in {r['insert_s']:.1f} s ({rate:,.0f} rows/s; "
              f"{detail}); {r['counted']:,} rows in the three tables")  # fmt: skip
        print(f"  report {YEAR} (docx + html + md): median {r['report_s']:.2f} s "
              f"(runs {', '.join(f'{s:.2f}' for s in r['report_runs'])})")  # fmt: skip
        print(f"  baseline, same report for a year without rows: {r['empty_s']:.2f} s; "
              f"ratio {r['report_s'] / r['empty_s']:.1f}x")  # fmt: skip
        print(f"  baseline, SELECT COUNT(*) over the three tables: {r['count_s'] * 1000:.0f} ms; "
              f"ratio {r['report_s'] / r['count_s']:.0f}x")  # fmt: skip
        print(f"  goal < {GOAL_S:.0f} s: {'PASS' if passed else 'MISS'} ({r['report_s']:.2f} s)")
    if not measured:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
