"""``GET /healthz`` and ``GET /api/v1/health``."""

import json

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from rongmei.config import QueueConfig
from rongmei.core.tests.cli_helpers import child_env, free_port, run_rongmei


@pytest.fixture
def unreachable_queue(monkeypatch):
    """A real Redis storage pointed at a port where nothing listens."""
    port = free_port()
    storage = RedisStorage("rongmei", url=f"redis://127.0.0.1:{port}/0")
    storage.pool.connection_kwargs["socket_connect_timeout"] = 1
    monkeypatch.setattr(HUEY, "storage", storage)
    monkeypatch.setattr(settings, "QUEUE", QueueConfig("redis", f"redis://127.0.0.1:{port}/0"))


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_queue_answer(client, real_queue):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_and_names_the_queue(client, unreachable_queue):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "queue": "error"}


@pytest.mark.django_db
def test_api_health_needs_no_token_and_reports_the_same(client, unreachable_queue):
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "queue": "error"}


def test_healthz_answers_503_and_names_the_database(tmp_path):
    script = (
        "import django, json; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = child_env(
        tmp_path,
        DATABASE_URL=f"postgres://rongmei@127.0.0.1:{free_port()}/rongmei",
        RONGMEI_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="rongmei.settings",
    )
    result = run_rongmei("manage", "shell", "-c", script, env=env)
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "error", "database": "error", "queue": "ok"}
