"""The publish queue: approval to first delivery attempt, and throughput.

    .venv/bin/python bench/publish_queue.py [--deliveries 1000] [--approvals 20] [--threads 4]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379/13]

1. **Approval to first attempt** (goal p95 < 1 s; Superdesk polls every
   10 s): stories approved through the three levels one by one, the worker
   idle in between (2 s); the time from the final approval's commit to the
   delivery's POST arriving at the fake channel.
2. **Throughput** (goal ≥ 100 deliveries/s with 2 workers on PostgreSQL +
   Redis): N deliveries to the fake channel (signed JSON, the generic
   webhook adapter), 1 and 2 `rongmei worker` processes of --threads threads,
   on SQLite (the embedded default) and on PostgreSQL + Redis. Baseline in
   the same run: the fake channel's own capacity, N signed POSTs straight
   from --threads threads with no queue at all; the ratio says what the
   queue's bookkeeping (claim, checkpoint, state, event, audit) costs.

Exit status: 0 both goals met, 1 a goal missed, 2 could not measure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")

from bench._support import verdict
from rongmei.distribution.fakes.drill import Drill
from rongmei.distribution.fakes.receiver import FakeReceiver

SECRET = "bench-receiver-secret"


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def latency(database_url, queue_url, approvals: int) -> list[float]:
    with FakeReceiver(secret=SECRET) as receiver:
        drill = Drill(database_url=database_url, queue_url=queue_url)
        try:
            drill.setup(receiver.hook_url, SECRET, 0)
            drill.start_worker(threads=2)
            time.sleep(4)  # the worker is up, and idle
            approved = drill.approve(approvals, gap=2.0)
            drill.wait_until(lambda: len(receiver.published) >= approvals, timeout=60)
            arrived = {}
            for call in receiver.calls:
                if call.method == "POST":
                    title = call.json().get("content", {}).get("title")
                    arrived.setdefault(title, call.at)
            return [arrived[a["title"]] - a["at"] for a in approved if a["title"] in arrived]
        finally:
            drill.close()


def throughput(database_url, queue_url, workers: int, threads: int, count: int) -> float:
    with FakeReceiver(secret=SECRET) as receiver:
        drill = Drill(database_url=database_url, queue_url=queue_url)
        try:
            drill.setup(receiver.hook_url, SECRET, count)
            for _ in range(workers):
                drill.start_worker(threads=threads)
            time.sleep(4)  # started and idle: the clock measures delivering, not booting
            started = time.monotonic()
            drill.enqueue()
            if not drill.wait_until(lambda: len(receiver.published) >= count, timeout=600, every=0.1):
                return 0.0
            elapsed = time.monotonic() - started
            done = drill.states()["counts"].get("delivered", 0)
            if done != count:  # the channel has them all; the rows follow within a moment
                drill.wait_until(lambda: drill.states()["counts"].get("delivered", 0) == count, timeout=60)
            return count / elapsed
        finally:
            drill.close()


def raw_capacity(threads: int, count: int) -> float:
    """The fake channel alone: signed POSTs from ``threads`` threads, no queue."""
    import uuid

    import httpx

    from rongmei.distribution import webhooks

    with FakeReceiver(secret=SECRET) as receiver:
        clients = threading.local()

        def post(n):
            key = str(uuid.uuid4())
            body, headers = webhooks.signed_request({"event": "story.publish", "content": {"title": n}}, SECRET, key)
            headers["X-Rongmei-Idempotency-Key"] = key
            if not hasattr(clients, "client"):  # one connection per thread, as the workers keep theirs
                clients.client = httpx.Client(timeout=10, trust_env=False)
            clients.client.post(receiver.hook_url, content=body, headers=headers)

        started = time.monotonic()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(post, range(count)))
        return count / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--approvals", type=int, default=20)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()

    ok = True
    for label, db, queue in (("SQLite", None, None), ("PostgreSQL + Redis", args.postgres, args.redis)):
        if args.skip_latency:
            break
        waits = latency(db, queue, args.approvals)
        if len(waits) < args.approvals:
            print(f"{label}: only {len(waits)} of {args.approvals} approvals reached the channel")
            return 2
        good = p95(waits) < 1.0
        ok = ok and good
        print(
            f"approval → first attempt, {label}: median {statistics.median(waits) * 1000:.0f} ms, "
            f"p95 {p95(waits) * 1000:.0f} ms, max {max(waits) * 1000:.0f} ms "
            f"(goal p95 < 1000 ms; Superdesk polls every 10 s) {verdict(good)}"
        )

    raw = raw_capacity(args.threads * 2, args.deliveries)
    print(f"baseline: the fake channel alone takes {raw:.0f} signed POSTs/s from {args.threads * 2} threads")
    for label, db, queue in (("SQLite", None, None), ("PostgreSQL + Redis", args.postgres, args.redis)):
        for workers in (1, 2):
            rate = throughput(db, queue, workers, args.threads, args.deliveries)
            line = (
                f"throughput, {label}, {workers} worker(s) × {args.threads} threads: {rate:.0f} deliveries/s "
                f"(ratio to the channel alone {rate / raw:.2f})"
            )
            if workers == 2 and queue:
                good = rate >= 100
                ok = ok and good
                line += f" (goal ≥ 100/s) {verdict(good)}"
            print(line, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
