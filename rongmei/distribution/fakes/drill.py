"""A publish-queue drill on a database and queue of its own: N deliveries
to a fake channel, real `rongmei worker` processes, and what the channel's
side saw. The reliability tests (SIGKILL in the middle of a batch, two
workers at once) and the throughput benchmark use it.

The parent process runs the fake channel (a
:class:`~rongmei.distribution.fakes.receiver.FakeReceiver`) and this
module's :class:`Drill`; the platform's side runs in child processes::

    python -m rongmei.distribution.fakes.drill setup URL SECRET COUNT
    python -m rongmei.distribution.fakes.drill enqueue
    python -m rongmei.distribution.fakes.drill states
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _scratch_postgres(url: str) -> tuple[str, str]:
    """A new empty database on the server of ``url``: (its URL, its name)."""
    import psycopg

    name = f"rongmei_drill_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Drill:
    """``Drill(database_url=None, queue_url=None)``: SQLite and the SQLite
    queue in a temporary data dir by default; with a PostgreSQL URL, a
    scratch database on that server (dropped at ``close``); with a Redis
    URL, that queue (flushed first)."""

    def __init__(self, *, database_url: str | None = None, queue_url: str | None = None, lease: float = 3):
        self.dir = Path(tempfile.mkdtemp(prefix="rongmei-drill-"))
        self.env = {
            **os.environ,
            "RONGMEI_DATA_DIR": str(self.dir),
            "RONGMEI_DELIVERY_LEASE": str(lease),
            "RONGMEI_DELIVERY_BACKOFF": "1",
            "RONGMEI_SECRET_KEY": "drill-" + uuid.uuid4().hex,
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("DATABASE_URL", None)
        self.env.pop("RONGMEI_QUEUE_URL", None)
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self._pg = None
        if database_url and database_url.startswith(("postgres://", "postgresql://")):
            scratch, name = _scratch_postgres(database_url)
            self._pg = (database_url, name)
            self.env["DATABASE_URL"] = scratch
        if queue_url:
            self.env["RONGMEI_QUEUE_URL"] = queue_url
            import redis

            redis.Redis.from_url(queue_url).flushdb()
        self.workers: list[subprocess.Popen] = []

    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "-m", __name__, *args],
            env=self.env, capture_output=True, text=True, timeout=timeout, cwd=self.dir,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"drill {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def setup(self, url: str, secret: str, count: int) -> dict:
        return json.loads(self.run("setup", url, secret, str(count)).splitlines()[-1])

    def approve(self, count: int, gap: float) -> list[dict]:
        return json.loads(self.run("approve", str(count), str(gap), timeout=600).splitlines()[-1])

    def enqueue(self) -> None:
        self.run("enqueue")

    def states(self) -> dict:
        return json.loads(self.run("states").splitlines()[-1])

    def start_worker(self, threads: int = 2) -> subprocess.Popen:
        worker = subprocess.Popen(
            [sys.executable, "-m", "rongmei", "worker", "--workers", str(threads), "--no-periodic"],
            env=self.env, cwd=self.dir, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=open(self.dir / f"worker-{len(self.workers)}.log", "wb"),
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen, sig=signal.SIGKILL) -> None:
        try:
            os.killpg(worker.pid, sig)
        except ProcessLookupError:
            pass
        worker.wait(timeout=30)

    def wait_until(self, condition, timeout: float, every: float = 0.5) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(every)
        return False

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                self.kill(worker, signal.SIGTERM)
        self.workers = []

    def close(self) -> None:
        self.stop_workers()
        if self._pg:
            _drop_postgres(*self._pg)
        shutil.rmtree(self.dir, ignore_errors=True)


# -- the platform's side (child processes)


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")
    import django

    django.setup()


def _setup(url: str, secret: str, count: int) -> dict:
    import datetime as dt

    from django.utils import timezone

    from rongmei.core import bootstrap

    bootstrap.migrate()
    from django.contrib.auth import get_user_model

    from rongmei.core.models import Organisation
    from rongmei.distribution.models import Channel, Delivery
    from rongmei.stories.models import Story

    # A drill's database may serve several rounds: each starts with no deliveries.
    Delivery.objects.all().delete()
    organisation, _ = Organisation.objects.get_or_create(name="演练融媒体中心")
    channel, _ = Channel.objects.get_or_create(
        organisation=organisation, kind="partner", name="演练接收方", defaults={"transport": "webhook"}
    )
    channel.api_base_url = url
    channel.credentials = {"secret": secret}
    channel.save()
    author = get_user_model().objects.filter(username="drill").first()
    author = author or get_user_model().objects.create_user("drill", password=uuid.uuid4().hex)
    story, _ = Story.objects.get_or_create(title="演练稿件", defaults={"body": "<p>演练</p>", "author": author})
    give_up = timezone.now() + dt.timedelta(hours=1)
    Delivery.objects.bulk_create(
        Delivery(
            story=story, channel=channel, give_up_at=give_up,
            payload={"title": f"演练稿件 {n}", "body": "<p>演练正文</p>", "data": {}},
        )
        for n in range(count)
    )  # fmt: skip
    return {"deliveries": Delivery.objects.count()}


def _approve(count: int, gap: float) -> list[dict]:
    """Approve ``count`` stories through the three levels, ``gap`` seconds
    apart (the worker idles in between); when each final approval committed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from rongmei.core import roles
    from rongmei.stories import actions
    from rongmei.versions.actions import generate_versions

    users = {}
    for role in (roles.EDITOR, roles.REVIEW_1, roles.REVIEW_2, roles.REVIEW_3):
        user, created = get_user_model().objects.get_or_create(username=f"drill-{role}")
        if created:
            user.groups.add(Group.objects.get(name=role))
        users[role] = get_user_model().objects.get(pk=user.pk)
    approved = []
    for n in range(count):
        story = actions.create_story(
            author=users[roles.EDITOR], title=f"演练审批稿件 {n}", summary="演练",
            body="<p>演练正文：西城区融媒体中心发布流程演练。</p>",
        )  # fmt: skip
        generate_versions(story, user=users[roles.EDITOR])
        actions.submit_for_review(story, user=users[roles.EDITOR])
        actions.decide(story, user=users[roles.REVIEW_1], decision="approve", level=1)
        actions.decide(story, user=users[roles.REVIEW_2], decision="approve", level=2)
        actions.decide(story, user=users[roles.REVIEW_3], decision="approve", level=3)
        approved.append({"title": story.title, "at": time.time()})
        time.sleep(gap)
    return approved


def _enqueue() -> None:
    from rongmei.distribution import tasks
    from rongmei.distribution.models import Delivery

    tasks.enqueue(list(Delivery.objects.order_by("pk").values_list("pk", flat=True)))


def _states() -> dict:
    from django.db.models import Count

    from rongmei.distribution.models import Delivery

    counts = dict(Delivery.objects.values_list("state").annotate(n=Count("pk")))
    delivered = Delivery.objects.filter(state="delivered").values_list("idempotency_key", flat=True)
    return {"counts": counts, "delivered_keys": [str(key) for key in delivered]}


def main(argv: list[str]) -> None:
    _django()
    command = argv[0]
    if command == "setup":
        print(json.dumps(_setup(argv[1], argv[2], int(argv[3]))))
    elif command == "enqueue":
        _enqueue()
    elif command == "approve":
        print(json.dumps(_approve(int(argv[1]), float(argv[2]))))
    elif command == "states":
        print(json.dumps(_states()))
    else:
        raise SystemExit(f"unknown drill command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
