"""The inbox's background work (Huey): pull every source every five
minutes; retrain the classifier at night once enough items were
corrected by hand."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task


@db_periodic_task(crontab(minute="*/5"))
@lock_task("interaction-pull")
def pull_inbox() -> dict:
    from rongmei.interaction import intake

    return intake.pull_all()


@db_periodic_task(crontab(minute="30", hour="2"))
def train_classifier() -> dict:
    from rongmei.core.audit import audit_context
    from rongmei.core.models import AuditEntry
    from rongmei.interaction import training

    with audit_context(via=AuditEntry.Via.WORKER):
        run = training.train()
    return {"trained": run is not None, "in_use": bool(run and run.in_use)}


@db_task()
def pull_inbox_now() -> dict:
    return pull_inbox.call_local()
