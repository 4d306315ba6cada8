"""End to end: the real ``rongmei up`` on an empty data dir and a free port."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from rongmei.core.tests.cli_helpers import child_env, free_port, run_rongmei


@pytest.fixture
def empty_database():
    """On the PostgreSQL run, a new database of its own; on SQLite, the
    default file in the (empty) data dir."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"rongmei_e2e_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
def test_up_serves_healthz_admin_and_static_then_stops_on_ctrl_c(tmp_path, empty_database):
    port = free_port()
    data_dir = tmp_path / "data"
    env = child_env(data_dir, DATABASE_URL=empty_database, RONGMEI_QUEUE_URL=os.environ.get("RONGMEI_QUEUE_URL"))
    process = subprocess.Popen(
        [sys.executable, "-m", "rongmei", "up", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = get(f"{base}/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        if status != 200:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=60)
            raise AssertionError(f"rongmei up never answered /healthz; it said:\n{output[-3000:]}")
        assert json.loads(body) == {"status": "ok", "database": "ok", "queue": "ok"}

        status, page = get(f"{base}/admin/login/")
        assert status == 200
        assert "登录融媒".encode() in page  # Chinese by default, our branding
        assert get(f"{base}/static/rongmei/logo.svg")[0] == 200
        assert get(f"{base}/static/wagtailadmin/css/core.css")[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)

    assert process.returncode == 0, output
    with pytest.raises(OSError):
        get(f"{base}/healthz")  # both processes are gone

    # The administrator's password is printed once, and it works.
    password = re.search(r"admin\s+\S+?[:：]\s*(\S+)", output).group(1)
    check = run_rongmei(
        "manage",
        "shell",
        "-c",
        f"from django.contrib.auth import authenticate; print(authenticate(username='admin', password='{password}'))",
        env=env,
    )
    assert check.stdout.strip().endswith("admin"), check.stdout + check.stderr
    assert "reporter" in output  # demo logins are listed
