"""Small helpers shared by the benchmark scripts in this folder (not a test module).

Everything here talks to 127.0.0.1 only and cleans up after itself.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# Variables that would point the platform at external services; the benchmarks
# use the embedded default (SQLite database and SQLite queue in the data dir).
EXTERNAL_SERVICE_VARIABLES = ("DATABASE_URL", "DATABASE_URL_FILE", "RONGMEI_QUEUE_URL", "RONGMEI_QUEUE_URL_FILE")


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a child process: this one, on an own data dir, no external services."""
    env = {k: v for k, v in os.environ.items() if k not in EXTERNAL_SERVICE_VARIABLES}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["RONGMEI_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def rongmei_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m rongmei``."""
    script = Path(sys.executable).with_name("rongmei")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rongmei"]


@contextlib.contextmanager
def temp_data_dir(label: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"rongmei-bench-{label}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def temporary_postgres() -> Iterator[str]:
    """A new database on the server of ``BENCH_POSTGRES_URL``; yields its URL and drops it
    afterwards (keeps it, and prints its URL, when ``BENCH_KEEP_DATABASE`` is set)."""
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    name = f"rongmei_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        if os.environ.get("BENCH_KEEP_DATABASE"):
            print(f"kept for study: {url}")
        else:
            with psycopg.connect(base, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_worker(script: str | Path, args: Sequence[str], database: str, *, label: str, timeout: float) -> dict:
    """Runs ``script --worker *args`` in a child process on a fresh database and returns the
    last line of its stdout, parsed as JSON; ``{}`` when the child fails (after printing the
    end of its stderr).

    ``database`` is "sqlite" (the default one in the child's temporary data dir) or
    "postgres" (a ``temporary_postgres`` database as ``DATABASE_URL``). The data dir and
    the database are removed afterwards.
    """
    postgres = temporary_postgres() if database == "postgres" else contextlib.nullcontext()
    with temp_data_dir(label) as data_dir, postgres as url:
        env = child_env(data_dir, **({"DATABASE_URL": url} if url else {}))
        result = subprocess.run(
            [sys.executable, str(Path(script).resolve()), "--worker", *args],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if result.returncode != 0:
            print(f"{database}: the worker failed\n{result.stderr[-3000:]}")
            return {}
        return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def http_get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes]:
    """One GET on a fresh connection to 127.0.0.1; raises OSError when it cannot connect."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def stop(process: subprocess.Popen, sig: int, timeout: float = 30) -> tuple[float, bool]:
    """Send ``sig``, wait up to ``timeout`` s, then kill. Returns (seconds taken, exited by itself).

    The process must have been started with ``start_new_session=True``: whatever
    is left of its process group afterwards (its own children) is killed too.
    """
    started = time.monotonic()
    clean = True
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            clean = False
            process.kill()
            process.wait()
    took = time.monotonic() - started
    if kill_group(process.pid):
        clean = False
    return took, clean


def kill_group(pgid: int) -> bool:
    """Kill what is left of a process group we started; True when something was left."""
    # A child that has just exited may linger a moment as a zombie of init.
    deadline = time.monotonic() + 1
    while True:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    return True


def stop_on_sigterm() -> None:
    """Let SIGTERM (a CI timeout, say) stop a benchmark like Ctrl-C does: cleaning up first."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
