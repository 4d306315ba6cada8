"""The publish queue's background work (Huey): run a delivery as soon as
it is created, at its retry or poll time, and a sweeper every minute that
catches whatever a crash or a restart left behind — leases run out,
planned publish times and embargoes that have arrived."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

logger = logging.getLogger(__name__)


@db_task()
def process_delivery(delivery_id: int) -> str | None:
    from rongmei.core.audit import audit_context
    from rongmei.core.models import AuditEntry
    from rongmei.distribution import queue

    with audit_context(via=AuditEntry.Via.WORKER):
        return queue.run(delivery_id)


def enqueue(delivery_ids) -> None:
    for delivery_id in delivery_ids:
        process_delivery(delivery_id)


def schedule(delivery_id: int, when: dt.datetime) -> None:
    """Run the delivery at ``when`` (Huey keeps its schedule in its storage,
    so it survives a restart; the sweeper is the safety net)."""
    delay = (when - timezone.now()).total_seconds()
    if delay <= 0:
        process_delivery(delivery_id)
    else:
        process_delivery.schedule((delivery_id,), delay=delay)


@db_periodic_task(crontab(minute="*"))
def sweep() -> dict:
    """Every minute: stories whose planned time or embargo has come get
    their deliveries; due deliveries nobody holds go to a worker."""
    from rongmei.core.audit import audit_context
    from rongmei.core.models import AuditEntry
    from rongmei.distribution import actions, queue

    with audit_context(via=AuditEntry.Via.WORKER):
        created = actions.release_scheduled()
    due = queue.due_ids()
    enqueue(due)
    return {"created": created, "requeued": len(due)}


@db_task()
def sweep_once() -> dict:
    return sweep.call_local()


@on_startup()
def sweep_after_restart():
    """After a restart, whatever the killed worker held is free once its
    lease runs out: sweep then, not only at the next minute."""
    from rongmei.distribution import queue

    try:
        sweep_once.schedule(delay=queue.lease_seconds() + 1)
    except Exception:  # the queue's storage is checked by the health checks
        logger.warning("Could not schedule the sweep after start", exc_info=True)


@db_task()
def release_story(story_id: int) -> int:
    """At a story's planned time or embargo's end: create its deliveries."""
    from rongmei.core.audit import audit_context
    from rongmei.core.models import AuditEntry
    from rongmei.distribution import actions

    with audit_context(via=AuditEntry.Via.WORKER):
        return actions.release_scheduled(story_ids=[story_id])
