"""Chinese full-text search over many stories: p95 latency, SQLite and PostgreSQL.

Builds N stories (default 100,000) from the demo stories' sentences, indexes
them through Wagtail's database search backend with the platform's jieba
segmentation (rongmei.core.text), then times a fixed set of Chinese queries
through the same path as the API (``rongmei.core.search.search``,
first 20 results). The baseline, in the same run and on the same data, is
a ``LIKE '%…%'`` scan over title and body (Django's ``icontains``).

    .venv/bin/python bench/search.py [--stories 100000] [--db sqlite|postgres|both]

Goal: p95 under 100 ms on each database. PostgreSQL is taken from
``BENCH_POSTGRES_URL`` (default postgres://postgres@127.0.0.1:5432/postgres);
a temporary database is created there and dropped afterwards.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

from _support import run_worker

QUERIES = [
    "融媒体",
    "养老",
    "养老服务",
    "垃圾分类",
    "老旧小区",
    "什刹海",
    "接诉即办",
    "志愿服务",
    "中轴线",
    "金融街",
    "社区",
    "文物保护",
]
GOAL_MS = 100.0


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _segment_texts(texts: list[tuple[str, bool]]) -> list[str]:
    """Runs in the pool: the index tokens of (text, is_html) pairs."""
    from rongmei.core.text import segment_for_index

    return [segment_for_index(text, html=html) for text, html in texts]


def presegment(pool, stories) -> None:
    """Segments the stories' text columns in ``pool`` and puts the results
    where ``SegmentedSearchField.get_value`` keeps them, so that the index
    stores exactly what the platform's indexer would (the same function on
    the same text), computed on every core instead of one."""
    from django.db import models

    from rongmei.core.search import SegmentedSearchField

    fields = [
        field
        for field in stories[0].get_search_fields()
        if isinstance(field, SegmentedSearchField)
        and isinstance(stories[0]._meta.get_field(field.field_name), models.CharField | models.TextField)
    ]
    jobs = [[(field.raw_value(story), field.html) for field in fields] for story in stories]
    for story, texts, segmented in zip(stories, jobs, pool.map(_segment_texts, jobs, chunksize=50), strict=True):
        cache = story.__dict__.setdefault("_segmented_values", {})
        for field, (text, _), tokens in zip(fields, texts, segmented, strict=True):
            cache[field.cache_key(text)] = tokens


def build(count: int, processes: int | None = None) -> float:
    """Creates and indexes ``count`` stories; the seconds it took."""
    import multiprocessing

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import prefetch_related_objects
    from wagtail.search.backends import get_search_backend

    from rongmei.core import bootstrap
    from rongmei.core.text import segment_for_index
    from rongmei.stories.demo_data import STORIES
    from rongmei.stories.models import Category, Story

    bootstrap.migrate()
    author = get_user_model().objects.create_user("bench-author")
    categories = list(Category.objects.all())
    sentences = [s for item in STORIES for p in item["body"] for s in p.split("。") if len(s) > 8]
    titles = [item["title"] for item in STORIES]
    rng = random.Random(20241126)  # noqa: S311 - reproducible test data, not secrets

    started = time.perf_counter()
    backend = get_search_backend()
    # The forks inherit the open database connection but never touch it:
    # they only run jieba, whose dictionary is loaded here once for all.
    segment_for_index("预热")
    context = multiprocessing.get_context("fork")
    with context.Pool(processes or os.cpu_count()) as pool:
        batch = []
        for number in range(count):
            body = "。".join(rng.sample(sentences, 3)) + "。"
            batch.append(
                Story(
                    title=f"{rng.choice(titles)}（{number}）",
                    summary=rng.choice(sentences),
                    body=f"<p>{body}</p>",
                    author=author,
                    category=rng.choice(categories),
                    live=False,
                )
            )
            if len(batch) == 2000 or number == count - 1:
                presegment(pool, batch)
                created = Story.objects.bulk_create(batch)
                # The keywords (none yet) in two queries for the batch
                # instead of one per story and index column.
                prefetch_related_objects(created, "tagged_keywords__tag")
                backend.add_bulk(Story, created)
                batch = []
    if connection.vendor == "postgresql":
        # Statistics for the planner, as autovacuum takes them after a bulk
        # load; part of the build time.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def measure(count: int, build_s: float) -> dict:
    from django.db import connection
    from django.db.models import Q

    from rongmei.core.search import search
    from rongmei.stories.models import Story

    def timed(run, repeat):
        samples = []
        for _ in range(repeat):
            for query in QUERIES:
                t = time.perf_counter()
                run(query)
                samples.append((time.perf_counter() - t) * 1000)
        return samples

    def fts(query):
        return search(Story.objects.all(), query, limit=20)

    def like(query):
        return list(Story.objects.filter(Q(title__icontains=query) | Q(body__icontains=query))[:20])

    fts(QUERIES[0])
    fts_ms = timed(fts, 5)
    like_ms = timed(like, 2)
    hits = {query: len(fts(query)) for query in QUERIES}
    return {
        "vendor": connection.vendor,
        "stories": count,
        "build_s": build_s,
        "fts_p50": statistics.median(fts_ms),
        "fts_p95": percentile(fts_ms, 0.95),
        "like_p50": statistics.median(like_ms),
        "like_p95": percentile(like_ms, 0.95),
        "hits": hits,
    }


def worker(count: int) -> dict:
    """Runs inside a process whose environment selects the database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
    django.setup()
    return measure(count, build(count))


def run_on(database: str, count: int) -> dict:
    return run_worker(__file__, ["--stories", str(count)], database, label="search", timeout=3600)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.stories)))
        return 0
    ok = True
    for database in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        r = run_on(database, args.stories)
        if not r:
            return 1
        passed = r["fts_p95"] < GOAL_MS
        ok = ok and passed
        print(f"{r['vendor']}: {r['stories']:,} stories indexed in {r['build_s']:.0f} s")
        print(f"  full-text (jieba + FTS): p50 {r['fts_p50']:.1f} ms, p95 {r['fts_p95']:.1f} ms")
        print(f"  LIKE '%…%' scan:         p50 {r['like_p50']:.1f} ms, p95 {r['like_p95']:.1f} ms")
        print(f"  ratio LIKE / full-text (p95): {r['like_p95'] / r['fts_p95']:.1f}x")
        print(f"  results per query (first 20): {r['hits']}")
        print(f"  goal p95 < {GOAL_MS:.0f} ms: {'PASS' if passed else 'MISS'} ({r['fts_p95']:.1f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
