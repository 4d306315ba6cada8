"""Background tasks of the core app.

The worker leaves a heartbeat in the queue's storage, so the dashboard can
tell whether any worker is running: a reachable queue alone does not say
that anyone is taking work from it.
"""

import time

from huey import crontab
from huey.contrib.djhuey import HUEY, db_task, on_startup, periodic_task, task

HEARTBEAT_KEY = "rongmei.worker.heartbeat"
# A worker beats every minute; after this long without a beat it is gone.
HEARTBEAT_STALE_AFTER = 180


@task()
def heartbeat() -> float:
    now = time.time()
    HUEY.put(HEARTBEAT_KEY, now)
    return now


@periodic_task(crontab(minute="*"))
def periodic_heartbeat():
    heartbeat.call_local()


@on_startup()
def heartbeat_on_start():
    heartbeat.call_local()


def seconds_since_heartbeat() -> float | None:
    """How long ago a worker last beat, or None if none ever has."""
    try:
        beat = HUEY.get(HEARTBEAT_KEY, peek=True)
    except Exception:  # an unreachable queue is reported by the health checks
        return None
    return None if beat is None else max(0.0, time.time() - beat)


@db_task()
def load_demo_modules(names: list[str]) -> None:
    """Load apps' demo data in the worker (see rongmei.demo), one after the
    other in the order given: a later app's demo uses an earlier one's."""
    from rongmei.core.audit import audit_context
    from rongmei.core.models import AuditEntry
    from rongmei.demo import load_module

    with audit_context(via=AuditEntry.Via.WORKER):
        for name in names:
            load_module(name)
