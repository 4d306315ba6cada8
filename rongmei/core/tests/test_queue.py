"""Tasks travel through the configured queue (SQLite file or Redis) and are
executed by the worker process."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings

from rongmei.config import make_huey
from rongmei.core import tasks
from rongmei.core.tests.cli_helpers import child_env


def test_a_task_round_trips_through_the_configured_storage():
    queue = make_huey(settings.QUEUE, name=f"test-{uuid.uuid4().hex[:8]}")

    @queue.task()
    def add(a, b):
        return a + b

    try:
        result = add(2, 3)
        assert queue.pending_count() == 1
        assert queue.execute(queue.dequeue()) == 5
        assert result.get() == 5
        assert queue.pending_count() == 0
    finally:
        queue.storage.flush_all()


@pytest.mark.slow
def test_the_worker_process_executes_queued_tasks(tmp_path, real_queue):
    """`rongmei worker` takes a heartbeat task from the queue and runs it."""
    real_queue.storage.flush_queue()
    real_queue.delete(tasks.HEARTBEAT_KEY)
    tasks.heartbeat()  # enqueued, not run: no worker yet
    assert real_queue.pending_count() == 1
    assert tasks.seconds_since_heartbeat() is None

    env = child_env(
        tmp_path,
        DATABASE_URL=os.environ.get("DATABASE_URL"),
        RONGMEI_QUEUE_URL=settings.QUEUE.location if settings.QUEUE.kind == "redis" else None,
    )
    if settings.QUEUE.kind == "sqlite":
        env["RONGMEI_QUEUE_URL"] = f"sqlite:///{settings.QUEUE.location}"
    worker = subprocess.Popen([sys.executable, "-m", "rongmei", "worker", "--no-periodic"], env=env)
    try:
        deadline = time.monotonic() + 60
        while real_queue.pending_count() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert real_queue.pending_count() == 0
        assert tasks.seconds_since_heartbeat() < 60
    finally:
        worker.send_signal(subprocess.signal.SIGINT)
        assert worker.wait(30) == 0
