"""The publish queue under a crash and under two workers, with real
worker processes on a database and queue of their own (the drill of
:mod:`rongmei.distribution.fakes.drill`): every delivery ends delivered
exactly once on the channel's side, and nothing is lost."""

import collections
import os
import time

import pytest

from rongmei.distribution.fakes.drill import Drill
from rongmei.distribution.fakes.receiver import FakeReceiver

BATCH = 500
SECRET = "drill-receiver-secret"
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def receiver():
    with FakeReceiver(secret=SECRET) as fake:
        yield fake


@pytest.fixture(scope="module")
def scratch():
    # On the PostgreSQL + Redis run, a scratch database on the same server and the Redis queue.
    queue = os.environ.get("RONGMEI_QUEUE_URL") if POSTGRES else None
    drill = Drill(database_url=os.environ.get("DATABASE_URL"), queue_url=queue, lease=3)
    yield drill
    drill.close()


@pytest.fixture
def drill(scratch):
    yield scratch
    scratch.stop_workers()


def _posts_by_key(receiver) -> collections.Counter:
    return collections.Counter(
        call.headers.get("X-Rongmei-Idempotency-Key") for call in receiver.calls if call.method == "POST"
    )


def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing_and_publishes_once(receiver, drill):
    assert drill.setup(receiver.hook_url, SECRET, BATCH) == {"deliveries": BATCH}
    drill.enqueue()
    worker = drill.start_worker(threads=2)
    assert drill.wait_until(lambda: len(receiver.published) >= BATCH // 4, timeout=120)
    drill.kill(worker)  # SIGKILL: no chance to clean up
    at_kill = len(receiver.published)
    assert at_kill < BATCH, "the batch finished before the kill; make it larger"

    drill.start_worker(threads=2)  # its start-up sweep (after the lease) picks up what the dead one held
    drill.enqueue()  # the queue lost nothing either way; enqueueing twice must not publish twice
    assert drill.wait_until(lambda: drill.states()["counts"].get("delivered", 0) == BATCH, timeout=240), drill.states()[
        "counts"
    ]
    states = drill.states()
    published = {entry["key"] for entry in receiver.published}
    assert len(receiver.published) == BATCH == len(published)  # each published once on the channel's side
    assert published == set(states["delivered_keys"])
    # Only what the killed worker held may have been sent twice (and the receiver dropped the repeat).
    repeats = [key for key, count in _posts_by_key(receiver).items() if count > 1]
    assert len(repeats) <= 4


@pytest.mark.skipif(not POSTGRES, reason="two workers at once are tested on PostgreSQL + Redis")
def test_two_workers_at_once_deliver_each_delivery_exactly_once(receiver, drill):
    drill.setup(receiver.hook_url, SECRET, BATCH)
    drill.start_worker(threads=2)
    drill.start_worker(threads=2)
    time.sleep(3)  # both workers are up and waiting
    drill.enqueue()
    drill.enqueue()  # every delivery is queued twice: the claim, not the queue, makes it once
    assert drill.wait_until(lambda: drill.states()["counts"].get("delivered", 0) == BATCH, timeout=240)
    posts = _posts_by_key(receiver)
    assert len(posts) == BATCH and set(posts.values()) == {1}  # not even a repeat was sent
