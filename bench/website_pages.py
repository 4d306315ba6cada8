"""Throughput and latency of a government-website article page, 20 clients
at once, against a static file served by the same server in the same run.

Run:  .venv/bin/python bench/website_pages.py [--seconds 5] [--rounds 3] [--concurrency 20]

Set-up, all on a fresh temporary data dir with the embedded default (SQLite
database and queue; DATABASE_URL and RONGMEI_QUEUE_URL unset):

1. ``rongmei demo`` migrates and loads the demo data; the demo approves two
   stories through the three review levels, so the publish queue holds
   their deliveries to the Chinese website;
2. a short script does what the worker of ``rongmei up`` would: it makes
   the web versions of those stories' pictures, then runs the publish queue
   on the website deliveries until they are delivered, and prints the paths
   of the live article pages;
3. ``rongmei manage collectstatic``, as ``rongmei up`` does before serving;
4. gunicorn is started on a free port of 127.0.0.1 with the command line of
   ``rongmei up`` (``rongmei.cli._server_command``: gthread, two processes a
   core, two threads each, max-requests…) serving ``rongmei.wsgi``.

Load: the style sheet that the article page links to (served by WhiteNoise
from the same Django application) and the article page, in ``--rounds``
alternations, each phase a 1 s warm-up and ``--seconds`` of measurement over
``--concurrency`` keep-alive connections from the Python load generator of
``api_rps.py`` (it records every request's latency; wrk reports no p95).
Only 200 responses count; anything else, or a transport error, makes the
result INVALID.

The goal is the article page's p95 latency under 200 ms with 20 clients. The
ratios article / static (requests per second, and p95) say what rendering the
page costs compared with the cheapest thing the same server answers.

Exit status: 0 goal met, 1 goal missed, 2 could not measure (or errors).
"""

from __future__ import annotations

import argparse
import re
import signal
import statistics
import subprocess
import sys
import time

from _support import (
    REPO,
    child_env,
    free_port,
    http_get,
    rongmei_command,
    stop,
    stop_on_sigterm,
    temp_data_dir,
    verdict,
)
from api_rps import Phase, python_load

GOAL_P95_MS = 200.0
# A visitor's browser: the website counts a page view for every GET from one
# (an UPDATE in the database, rongmei.analytics.visits); a client without a
# User-Agent would be measured without that cost.
VISITOR = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"}

# Step 2 of the set-up: what the worker does for the demo's website deliveries.
PUBLISH = """\
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
import django
django.setup()
from rongmei.archive.actions import build_renditions
from rongmei.archive.models import Asset, Kind
from rongmei.distribution import queue
from rongmei.distribution.models import ACTIVE_STATES, Delivery
from rongmei.website.models import ArticlePage

deliveries = list(Delivery.objects.filter(channel__kind="website", state__in=ACTIVE_STATES))
pictures = {image["asset"] for d in deliveries for image in (d.payload.get("data") or {}).get("images") or []}
for asset in Asset.objects.filter(pk__in=pictures, kind=Kind.PHOTO):
    if not asset.rendition("web"):
        build_renditions(asset)
for delivery in deliveries:
    for _ in range(20):
        Delivery.objects.filter(pk=delivery.pk, state__in=ACTIVE_STATES).update(next_attempt_at=None)
        queue.run(delivery.pk)
        delivery.refresh_from_db()
        if delivery.state not in ACTIVE_STATES:
            break
    print("delivery", delivery.pk, delivery.state, delivery.last_error or "")
for page in ArticlePage.objects.live().filter(source_story__isnull=False).order_by("pk"):
    print("article", page.url, page.images.count(), page.title)
"""


class Failure(Exception):
    pass


def run_checked(command: list[str], env: dict[str, str], what: str, timeout: float = 600) -> str:
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise Failure(f"{what} failed (exit {result.returncode}):\n{(result.stdout + result.stderr)[-3000:]}")
    return result.stdout


def server_command(port: int, http_workers: int) -> list[str]:
    """Exactly ``rongmei up``'s gunicorn command line."""
    from rongmei.cli import _server_command

    options = argparse.Namespace(host="127.0.0.1", port=port, http_workers=http_workers, access_log=False)
    command = _server_command(options)
    if "rongmei.wsgi:application" not in command:
        raise Failure(f"rongmei.cli._server_command no longer serves rongmei.wsgi:application: {command}")
    return command


def wait_healthy(port: int, process: subprocess.Popen, deadline_s: float = 90) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failure(f"gunicorn exited with status {process.returncode} before it answered")
        try:
            if http_get(port, "/healthz", timeout=30)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise Failure(f"no 200 from /healthz within {deadline_s:.0f} s")


def published_articles(output: str) -> list[tuple[str, int, str]]:
    """(path, pictures, title) of the live article pages the set-up printed."""
    articles = []
    for line in output.splitlines():
        if line.startswith("article "):
            _, path, pictures, title = line.split(" ", 3)
            articles.append((path, int(pictures), title))
    return articles


def check_pages(port: int, article: str, title: str) -> str:
    """The article answers 200 with its title; returns the path of its style sheet, checked too."""
    status, body = http_get(port, article, VISITOR)
    html = body.decode("utf-8", errors="replace")
    if status != 200 or title not in html:
        raise Failure(f"GET {article} answered {status} without the title {title!r}: {html[:300]!r}")
    stylesheet = re.search(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html) or re.search(
        r'<link[^>]+href="([^"]+\.css)"', html
    )
    if not stylesheet:
        raise Failure(f"the article page links to no style sheet: {html[:500]!r}")
    static = stylesheet.group(1)
    status, body = http_get(port, static, VISITOR)
    if status != 200 or not body:
        raise Failure(f"GET {static} (the page's style sheet) answered {status}")
    return static


def percentile_ms(latencies: list[float], share: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


def describe(phase: Phase) -> str:
    others = ", ".join(f"{status}: {count}" for status, count in sorted(phase.statuses.items()) if status != 200)
    return (
        f"{phase.label:<7} {phase.rps:8.1f} req/s  p50 {percentile_ms(phase.latencies, 0.5):6.1f} ms  "
        f"p95 {percentile_ms(phase.latencies, 0.95):6.1f} ms  p99 {percentile_ms(phase.latencies, 0.99):6.1f} ms  "
        f"({phase.ok} x 200 in {phase.seconds:.1f} s; non-200: {phase.other}{f' [{others}]' if others else ''}; "
        f"transport errors: {phase.transport_errors}; reconnects: {phase.reconnects}; "
        f"load generator CPU {phase.client_cpu:.0%} of a core)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5, help="measuring time per phase (default 5)")
    parser.add_argument("--warmup", type=float, default=1, help="warm-up per phase, not counted (default 1)")
    parser.add_argument("--rounds", type=int, default=3, help="static/article alternations (default 3)")
    parser.add_argument("--concurrency", type=int, default=20, help="clients, each on a keep-alive connection")
    parser.add_argument("--http-workers", type=int, default=0, help="gunicorn workers (default: as rongmei up)")
    parser.add_argument(
        "--no-user-agent",
        action="store_true",
        help="send no User-Agent, so page views are not counted: what counting them costs, for comparison",
    )
    args = parser.parse_args()
    visitor = {} if args.no_user_agent else VISITOR
    if args.rounds < 1 or args.concurrency < 1:
        parser.error("--rounds and --concurrency must be at least 1")
    stop_on_sigterm()

    with temp_data_dir("website") as data_dir:
        env = child_env(data_dir)
        server: subprocess.Popen | None = None
        log_path = data_dir / "gunicorn.log"
        try:
            started = time.monotonic()
            run_checked([*rongmei_command(), "demo"], env, "`rongmei demo`")
            output = run_checked([sys.executable, "-c", PUBLISH], env, "publishing the demo's website deliveries")
            articles = published_articles(output)
            if not articles:
                raise Failure(f"the publish queue published no article page:\n{output[-2000:]}")
            article, pictures, title = max(articles, key=lambda found: found[1])  # one with pictures if any
            run_checked([*rongmei_command(), "manage", "collectstatic", "--noinput", "-v", "0"], env, "collectstatic")
            port = free_port()
            command = server_command(port, args.http_workers)
            with log_path.open("wb") as log:
                server = subprocess.Popen(
                    command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            wait_healthy(port, server)
            static = check_pages(port, article, title)
            workers = command[command.index("--workers") + 1]
            threads = command[command.index("--threads") + 1]
            print(
                f"server: gunicorn gthread, {workers} workers x {threads} threads (rongmei.cli._server_command), "
                f"SQLite; set up in {time.monotonic() - started:.1f} s"
            )
            print(f"article: {article} ({title}; {pictures} picture(s)); static: {static} (WhiteNoise)")
            print(
                f"load: python, {args.concurrency} keep-alive connections, "
                f"{args.warmup:g} s warm-up + {args.seconds:g} s per phase, {args.rounds} rounds, "
                + ("no User-Agent (page views NOT counted)" if args.no_user_agent else "a browser's User-Agent")
            )
            phases: list[Phase] = []
            for round_ in range(1, args.rounds + 1):
                for label, path in (("static", static), ("article", article)):
                    phase = Phase(label, path)
                    python_load(port, phase, visitor, args.concurrency, args.warmup, args.seconds)
                    phases.append(phase)
                    print(f"round {round_}: {describe(phase)}", flush=True)
                    if server.poll() is not None:
                        raise Failure(f"gunicorn exited with status {server.returncode} during the run")
        except Failure as exc:
            print(f"FAILED: {exc}", file=sys.stderr)
            if log_path.exists():
                print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 2
        finally:
            if server is not None:
                took, clean = stop(server, signal.SIGTERM, timeout=30)
                print(f"gunicorn stopped by SIGTERM in {took:.1f} s{'' if clean else ' (NOT cleanly: killed)'}")

    def pooled(label: str) -> tuple[float, list[float], int]:
        mine = [p for p in phases if p.label == label]
        latencies = [latency for p in mine for latency in p.latencies]
        errors = sum(p.other + p.transport_errors for p in mine)
        return sum(p.ok for p in mine) / sum(p.seconds for p in mine), latencies, errors

    static_rps, static_latencies, static_errors = pooled("static")
    article_rps, article_latencies, article_errors = pooled("article")
    pairs = list(zip(phases[0::2], phases[1::2], strict=True))
    rps_ratios = [a.rps / s.rps if s.rps else 0.0 for s, a in pairs]
    article_p95 = percentile_ms(article_latencies, 0.95)
    static_p95 = percentile_ms(static_latencies, 0.95)
    print(
        f"static file  {static}: {static_rps:.1f} req/s, p50 {percentile_ms(static_latencies, 0.5):.1f} ms, "
        f"p95 {static_p95:.1f} ms (errors: {static_errors})"
    )
    print(
        f"article page {article}: {article_rps:.1f} req/s, p50 {percentile_ms(article_latencies, 0.5):.1f} ms, "
        f"p95 {article_p95:.1f} ms, p99 {percentile_ms(article_latencies, 0.99):.1f} ms (errors: {article_errors})"
    )
    print(f"ratio article / static, req/s per round: {', '.join(f'{r:.2f}' for r in rps_ratios)}")
    print(
        f"ratio article / static: req/s {statistics.median(rps_ratios):.2f} (median of rounds), "
        f"p95 {article_p95 / static_p95:.1f}x"
    )
    if static_errors or article_errors or not article_latencies:
        print(f"goal: article page p95 < {GOAL_P95_MS:.0f} ms with {args.concurrency} clients: INVALID (see above)")
        return 2
    ok = article_p95 < GOAL_P95_MS
    print(
        f"goal: article page p95 < {GOAL_P95_MS:.0f} ms with {args.concurrency} clients: "
        f"{verdict(ok)} ({article_p95:.1f} ms)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
