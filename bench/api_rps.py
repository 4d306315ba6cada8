"""Requests per second of an authenticated API call against a bare Django view.

Run:  .venv/bin/python bench/api_rps.py [--seconds 10] [--concurrency 8]

Set-up, all on a fresh temporary data dir with the embedded default (SQLite
database and queue; DATABASE_URL and RONGMEI_QUEUE_URL unset):

1. ``rongmei demo`` migrates and loads the demo data (user "editor");
2. an API token for "editor" is created with ``APIToken.create_token``;
3. gunicorn is started on a free port of 127.0.0.1 with the command line of
   ``rongmei up`` (``rongmei.cli._server_command``: gthread, the same number
   of workers and threads, max-requests…), serving ``bench/bench_wsgi.py``:
   the platform's WSGI application plus one bare Django view at /bench/bare,
   routed by Django through the same middleware stack.

Then the two endpoints are loaded in turn, bare, API, bare, API (alternating
reduces the effect of drift), each with a 1 s warm-up and a fixed measuring
time, by ``wrk`` when it is on PATH, else by the Python load generator in this
file (threads, each on its own keep-alive connection). Only 200 responses
count as served; anything else is counted and reported.

The figure is the ratio authenticated / bare (goal: at least 0.5), which says
how much the API's work (token lookup, user, groups, department, JSON) costs
on top of Django's own request handling on the same server in the same run.

Exit status: 0 goal met, 1 goal missed, 2 could not measure (or errors).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from _support import (
    BENCH_DIR,
    HOST,
    REPO,
    child_env,
    free_port,
    http_get,
    rongmei_command,
    stop,
    stop_on_sigterm,
    temp_data_dir,
)

GOAL_RATIO = 0.5
API_PATH = "/api/v1/me"
BARE_PATH = "/bench/bare"  # bench_wsgi.BARE_PATH; not imported here, that would set up Django
DEMO_USER = "editor"

CREATE_TOKEN = """\
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from wagtail.models import APIToken
user = get_user_model().objects.get(username=sys.argv[1])
_, plaintext = APIToken.create_token(user=user, name="bench")
print(plaintext)
"""


class Failure(Exception):
    pass


# ---------------------------------------------------------------- server


def server_command(port: int, http_workers: int, keep_max_requests: bool) -> list[str]:
    """``rongmei up``'s gunicorn command line, serving bench_wsgi instead of rongmei.wsgi."""
    from rongmei.cli import _server_command

    options = argparse.Namespace(host=HOST, port=port, http_workers=http_workers, access_log=False)
    command = _server_command(options)
    if "rongmei.wsgi:application" not in command:
        raise Failure(f"rongmei.cli._server_command no longer serves rongmei.wsgi:application: {command}")
    command[command.index("rongmei.wsgi:application")] = "bench_wsgi:application"
    command[command.index("bench_wsgi:application") : command.index("bench_wsgi:application")] = [
        "--pythonpath",
        str(BENCH_DIR),
    ]
    if not keep_max_requests:
        for option in ("--max-requests", "--max-requests-jitter"):
            if option in command:
                at = command.index(option)
                del command[at : at + 2]
    return command


def run_checked(command: list[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise Failure(f"{what} failed (exit {result.returncode}):\n{(result.stdout + result.stderr)[-3000:]}")
    return result.stdout


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


def check_endpoints(port: int, token: str) -> None:
    status, body = http_get(port, BARE_PATH)
    if (status, body) != (200, b"ok"):
        raise Failure(f"GET {BARE_PATH} answered {status} {body[:200]!r}, not 200 'ok'")
    status, body = http_get(port, API_PATH, {"Authorization": f"Bearer {token}"})
    if status != 200:
        raise Failure(f"GET {API_PATH} with the token answered {status}: {body[:500]!r}")
    if json.loads(body).get("username") != DEMO_USER:
        raise Failure(f"GET {API_PATH} answered for another user: {body[:500]!r}")
    status, body = http_get(port, API_PATH)
    if status != 401:
        raise Failure(f"GET {API_PATH} without a token answered {status}, not 401: {body[:300]!r}")


# ---------------------------------------------------------------- load


@dataclass
class Phase:
    label: str
    path: str
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0
    reconnects: int = 0
    latencies: list[float] = field(default_factory=list)
    client_cpu: float | None = None  # share of one core used by this process, Python generator only

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def other(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200)

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Connection:
    """A minimal HTTP/1.1 keep-alive client for one fixed GET (cheap, so the generator is not the bottleneck)."""

    def __init__(self, port: int, request: bytes):
        self.port = port
        self.request = request
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.served = 0  # responses on the current socket

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer, self.served = None, b"", 0

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the server")
        self.buffer += chunk

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def get(self) -> int:
        """Send the request, read the whole response, return its status."""
        if self.sock is None:
            self.sock = socket.create_connection((HOST, self.port), timeout=30)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(self.request)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        if b"chunked" in headers.get(b"transfer-encoding", b""):
            while True:
                size = int(self._line().split(b";")[0], 16)
                self._take(size + 2)
                if size == 0:
                    break
            keep = headers.get(b"connection") != b"close"
        elif b"content-length" in headers:
            self._take(int(headers[b"content-length"]))
            keep = headers.get(b"connection") != b"close"
        else:  # the body runs to the end of the connection
            try:
                while True:
                    self._fill()
            except ConnectionError:
                pass
            keep = False
        self.served += 1
        if not keep:
            self.close()
        return status


def python_load(port: int, phase: Phase, headers: dict[str, str], concurrency: int, warmup: float, seconds: float):
    request = (
        f"GET {phase.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        + "\r\n"
    ).encode()
    measuring, stopping = threading.Event(), threading.Event()
    results: list[Phase] = [Phase(phase.label, phase.path) for _ in range(concurrency)]

    def client(mine: Phase) -> None:
        connection = Connection(port, request)
        while not stopping.is_set():
            started = time.perf_counter()
            try:
                status = connection.get()
            except (OSError, ValueError, IndexError) as exc:
                reused = connection.served > 0
                connection.close()
                if stopping.is_set():
                    break
                # A kept-alive connection the server has just closed (a worker
                # restarting after max-requests) is retried on a new one; a
                # failure on a new connection is an error.
                stale = reused and isinstance(exc, OSError)
                if measuring.is_set():
                    if stale:
                        mine.reconnects += 1
                    else:
                        mine.transport_errors += 1
                if not stale:
                    time.sleep(0.01)
                continue
            if measuring.is_set() and not stopping.is_set():
                mine.latencies.append(time.perf_counter() - started)
                mine.statuses[status] = mine.statuses.get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(mine,), daemon=True) for mine in results]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    cpu_started, started = time.process_time(), time.monotonic()
    measuring.set()
    time.sleep(seconds)
    stopping.set()
    phase.seconds = time.monotonic() - started
    phase.client_cpu = (time.process_time() - cpu_started) / phase.seconds
    for thread in threads:
        thread.join(35)
    for mine in results:
        for status, count in mine.statuses.items():
            phase.statuses[status] = phase.statuses.get(status, 0) + count
        phase.transport_errors += mine.transport_errors
        phase.reconnects += mine.reconnects
        phase.latencies.extend(mine.latencies)


def _wrk_seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk_load(port: int, phase: Phase, headers: dict[str, str], concurrency: int, warmup: float, seconds: float):
    def run_wrk(duration: float) -> str:
        command = [shutil.which("wrk"), f"-t{min(2, concurrency)}", f"-c{concurrency}", f"-d{duration:g}s"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://{HOST}:{port}{phase.path}")
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
        if result.returncode != 0:
            raise Failure(f"wrk failed (exit {result.returncode}): {result.stderr.strip()}")
        return result.stdout

    if warmup > 0:
        run_wrk(max(1, round(warmup)))
    output = run_wrk(max(1, round(seconds)))
    done = re.search(r"(\d+) requests in ([\d.]+\w+)", output)
    if not done:
        raise Failure(f"cannot read wrk's output:\n{output}")
    total, phase.seconds = int(done.group(1)), _wrk_seconds(done.group(2))
    # wrk counts status >= 400 as "Non-2xx or 3xx"; it cannot tell 200 from other 2xx/3xx.
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    other = int(bad.group(1)) if bad else 0
    phase.statuses = {200: total - other}
    if other:
        phase.statuses[0] = other  # 0: "some status >= 400" (wrk does not say which)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    phase.transport_errors = sum(map(int, socket_errors.groups())) if socket_errors else 0
    latency = re.search(r"Latency\s+(\S+)", output)
    if latency:
        phase.latencies = [_wrk_seconds(latency.group(1))]  # wrk's mean; shown as p50 below


def worker_boots(log_path: Path) -> int:
    return log_path.read_text(encoding="utf-8", errors="replace").count("Booting worker with pid")


def describe(phase: Phase, generator: str) -> str:
    p50, p99 = phase.percentile(0.5), phase.percentile(0.99)
    if generator == "wrk":
        latency = f"mean latency {p50 * 1000:.1f} ms" if p50 is not None else "latency n/a"
    else:
        latency = (
            f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms" if p50 is not None else "no latency (nothing served)"
        )
    others = ", ".join(
        f"{status or '>=400'}: {count}" for status, count in sorted(phase.statuses.items()) if status != 200
    )
    cpu = f", load generator CPU {phase.client_cpu:.0%} of a core" if phase.client_cpu is not None else ""
    return (
        f"{phase.label:<5} {phase.path:<12} {phase.rps:8.1f} req/s  ({phase.ok} x 200 in {phase.seconds:.1f} s; "
        f"non-200: {phase.other}{f' [{others}]' if others else ''}; transport errors: {phase.transport_errors}; "
        f"{'' if generator == 'wrk' else f'reconnects: {phase.reconnects}; '}{latency}{cpu})"
    )


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5, help="measuring time per phase (default 5)")
    parser.add_argument("--warmup", type=float, default=1, help="warm-up per phase, not counted (default 1)")
    parser.add_argument("--rounds", type=int, default=5, help="bare/API alternations (default 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections kept busy (default 8)")
    parser.add_argument(
        "--generator",
        choices=["auto", "python", "wrk"],
        default="auto",
        help="load generator: wrk if on PATH, else Python (default auto)",
    )
    parser.add_argument("--http-workers", type=int, default=0, help="gunicorn workers (default: as rongmei up)")
    parser.add_argument(
        "--no-max-requests",
        action="store_true",
        help="drop rongmei up's --max-requests (worker restarts) from the server command, for comparison",
    )
    args = parser.parse_args()
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    elif generator == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not on PATH")
    load = wrk_load if generator == "wrk" else python_load
    stop_on_sigterm()

    with temp_data_dir("api") as data_dir:
        env = child_env(data_dir)
        server: subprocess.Popen | None = None
        log_path = data_dir / "gunicorn.log"
        try:
            started = time.monotonic()
            run_checked([*rongmei_command(), "demo"], env, "`rongmei demo`")
            token = run_checked([sys.executable, "-c", CREATE_TOKEN, DEMO_USER], env, "creating the token")
            token = token.strip().splitlines()[-1]
            port = free_port()
            command = server_command(port, args.http_workers, keep_max_requests=not args.no_max_requests)
            with log_path.open("wb") as log:
                server = subprocess.Popen(
                    command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            wait_healthy(port, server)
            check_endpoints(port, token)
            boots_before = worker_boots(log_path)
            workers = command[command.index("--workers") + 1]
            max_requests = (
                f"max-requests {command[command.index('--max-requests') + 1]}"
                f"±{command[command.index('--max-requests-jitter') + 1]}"
                if "--max-requests" in command
                else "no max-requests"
            )
            print(
                f"server: gunicorn gthread, {workers} workers x {command[command.index('--threads') + 1]} threads, "
                f"{max_requests} "
                f"(rongmei.cli._server_command), SQLite; set up in {time.monotonic() - started:.1f} s"
            )
            print(
                f"load: {generator}, {args.concurrency} keep-alive connections, "
                f"{args.warmup:g} s warm-up + {args.seconds:g} s per phase, {args.rounds} rounds"
            )

            auth = {"Authorization": f"Bearer {token}"}
            phases = []
            for round_ in range(1, args.rounds + 1):
                for label, path, headers in (("bare", BARE_PATH, {}), ("api", API_PATH, auth)):
                    phase = Phase(f"{label}", path)
                    load(port, phase, headers, args.concurrency, args.warmup, args.seconds)
                    phases.append(phase)
                    print(f"round {round_}: {describe(phase, generator)}", flush=True)
                    if server.poll() is not None:
                        raise Failure(f"gunicorn exited with status {server.returncode} during the run")
            restarts = worker_boots(log_path) - boots_before
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

    def total(label: str) -> tuple[float, int, int]:
        mine = [p for p in phases if p.label == label]
        served = sum(p.ok for p in mine)
        errors = sum(p.other + p.transport_errors for p in mine)
        return served / sum(p.seconds for p in mine), errors, served

    bare_rps, bare_errors, _ = total("bare")
    api_rps, api_errors, _ = total("api")
    # Each round measures the two endpoints back to back; the ratio within a
    # round is immune to the machine slowing down between rounds (shared
    # virtual CPUs vary by 2x here), so the result is the median of those.
    pairs = list(zip(phases[0::2], phases[1::2], strict=True))
    round_ratios = [api.rps / bare.rps if bare.rps else 0.0 for bare, api in pairs]
    ratio = statistics.median(round_ratios)
    print(f"bare Django view {BARE_PATH}: {bare_rps:.1f} req/s (errors: {bare_errors})")
    print(f"authenticated    {API_PATH}: {api_rps:.1f} req/s (errors: {api_errors})")
    print(f"gunicorn worker restarts during the load (max-requests): {restarts}")
    print(f"ratio authenticated / bare per round: {', '.join(f'{r:.2f}' for r in round_ratios)}")
    print(f"ratio authenticated / bare (median of rounds): {ratio:.2f}")
    if bare_errors or api_errors:
        print(f"goal: authenticated / bare >= {GOAL_RATIO}: INVALID (requests failed, see above)")
        return 2
    ok = ratio >= GOAL_RATIO
    print(f"goal: authenticated / bare >= {GOAL_RATIO}: {'PASS' if ok else 'MISS'} ({ratio:.2f})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
