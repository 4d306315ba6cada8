"""Cold start of ``rongmei up``: empty data dir to the first 200 from /healthz.

Run:  .venv/bin/python bench/cold_start.py [--runs 3]

Each run starts ``rongmei up`` on a fresh temporary data dir and a free port on
127.0.0.1, with the embedded default (DATABASE_URL and RONGMEI_QUEUE_URL unset:
SQLite database and queue in the data dir), and polls GET /healthz every 50 ms
until it answers 200. It then stops ``rongmei up`` with SIGINT, as Ctrl-C
would, and waits for it to exit (killed after 30 s).

In-run baseline: the time a bare interpreter takes to import Django and Wagtail
and call django.setup() with the same kind of environment, also on a fresh
data dir; the ratio cold start / bare setup says how many "Django start-ups"
a cold start costs, which travels better between machines than seconds do.

Exit status: 0 goal met, 1 goal missed, 2 could not measure.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time

from _support import (
    REPO,
    child_env,
    free_port,
    http_get,
    median,
    rongmei_command,
    stop,
    stop_on_sigterm,
    temp_data_dir,
    verdict,
)

GOAL_SECONDS = 15.0
POLL_INTERVAL = 0.05
BARE_SETUP = "import os; os.environ['DJANGO_SETTINGS_MODULE']='rongmei.settings'; import django; django.setup()"


class Failure(Exception):
    pass


class OutputRecorder(threading.Thread):
    """Reads a child's output, noting when each line arrived."""

    def __init__(self, stream, started: float):
        super().__init__(daemon=True)
        self.stream = stream
        self.started = started
        self.lines: list[tuple[float, str]] = []

    def run(self) -> None:
        for line in self.stream:
            self.lines.append((time.monotonic() - self.started, line.rstrip("\n")))

    def first(self, text: str) -> float | None:
        return next((at for at, line in self.lines if text in line), None)

    def tail(self, count: int = 25) -> str:
        return "\n".join(f"    {at:6.2f}  {line}" for at, line in self.lines[-count:])


def bare_setup_seconds() -> float:
    with temp_data_dir("setup") as data_dir:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", BARE_SETUP],
            cwd=REPO,
            env=child_env(data_dir),
            capture_output=True,
            text=True,
            timeout=120,
        )
        took = time.monotonic() - started
    if result.returncode != 0:
        raise Failure(f"the bare django.setup() failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return took


def healthz_status(port: int) -> int | None:
    """The status of one GET /healthz, or None while nothing answers."""
    try:
        # An accepted connection waits for the answer: gunicorn may listen
        # before its workers are ready, and the request is served as soon as
        # one is.
        status, _ = http_get(port, "/healthz", timeout=30)
    except OSError:
        return None
    return status


def cold_start_seconds(deadline_s: float, verbose: bool = False) -> dict[str, float]:
    """One cold start. Returns the timings of the run."""
    with temp_data_dir("up") as data_dir:
        port = free_port()
        command = [*rongmei_command(), "up", "--host", "127.0.0.1", "--port", str(port)]
        # "Rongmei is running: <url>" in either language: only that line names the admin URL.
        announcement = f"http://127.0.0.1:{port}/admin/"
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=child_env(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            # Its own process group, so that gunicorn and the worker can be
            # cleaned up even if `rongmei up` itself fails to stop them.
            start_new_session=True,
        )
        recorder = OutputRecorder(process.stdout, started)
        recorder.start()
        healthy_at = None
        try:
            while time.monotonic() - started < deadline_s:
                if healthz_status(port) == 200:
                    healthy_at = time.monotonic() - started
                    break
                if process.poll() is not None:
                    break
                time.sleep(POLL_INTERVAL)
            if healthy_at is not None:
                # Let the CLI notice and say so, for the "announced" figure.
                announce_deadline = time.monotonic() + 5
                while recorder.first(announcement) is None and time.monotonic() < announce_deadline:
                    time.sleep(POLL_INTERVAL)
        finally:
            stop_seconds, clean = stop(process, signal.SIGINT, timeout=30)
            recorder.join(5)
            if verbose:
                print(recorder.tail(len(recorder.lines)))
        if healthy_at is None:
            why = (
                f"exited with status {process.returncode}"
                if process.returncode not in (None, -signal.SIGINT, 130)
                else f"no 200 from /healthz within {deadline_s:.0f} s"
            )
            raise Failure(f"`rongmei up` did not come up ({why}); its last output:\n{recorder.tail()}")
        return {
            "healthy": healthy_at,
            "announced": recorder.first(announcement) or float("nan"),
            "stop": stop_seconds,
            "exit": process.returncode,
            "clean": clean,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="number of cold starts (default 3)")
    parser.add_argument("--verbose", action="store_true", help="show the output of `rongmei up`, timed")
    parser.add_argument("--deadline", type=float, default=120, help="give up on one start after this many seconds")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    stop_on_sigterm()

    print(f"cold start of `rongmei up` (empty data dir, SQLite) x {args.runs}; python {sys.version.split()[0]}")
    colds, bares = [], []
    try:
        for run in range(1, args.runs + 1):
            bare = bare_setup_seconds()
            cold = cold_start_seconds(args.deadline, args.verbose)
            bares.append(bare)
            colds.append(cold["healthy"])
            note = "" if cold["clean"] else "  (did NOT stop cleanly: killed)"
            print(
                f"run {run}: first 200 from /healthz after {cold['healthy']:.2f} s "
                f"(CLI said it is running at {cold['announced']:.2f} s; "
                f"stopped by SIGINT in {cold['stop']:.2f} s, exit {cold['exit']}){note}; "
                f"bare django.setup() {bare:.2f} s",
                flush=True,
            )
    except Failure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 2

    cold_median, bare_median = median(colds), median(bares)
    ok = cold_median < GOAL_SECONDS
    print(f"cold start median:        {cold_median:.2f} s  (runs: {', '.join(f'{c:.2f}' for c in colds)})")
    print(f"bare django.setup median: {bare_median:.2f} s  (runs: {', '.join(f'{b:.2f}' for b in bares)})")
    print(f"ratio cold_start / bare_setup: {cold_median / bare_median:.1f}")
    print(f"goal: cold start < {GOAL_SECONDS:.0f} s: {verdict(ok)} ({cold_median:.2f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
