"""The durable publish queue: claim a delivery, run its adapter, record
how it ended. Every row change goes through here or through
:mod:`rongmei.distribution.actions`.

- **Claiming** is a conditional UPDATE (due, in an active state, and no
  live lease), so two workers never run one delivery at once; the lease is
  renewed at every checkpoint and a worker that lost it stops.
- **A crash** leaves the delivery ``in_progress`` with a lease that runs
  out; the sweeper (every minute, and once after a worker starts) hands it
  to a worker again, and the adapter carries on from its checkpoint.
- **Retries** back off exponentially with jitter (``RONGMEI_DELIVERY_BACKOFF``
  seconds × 2^min(6, n)), at most the adapter's ``max_attempts``; a rate
  limit waits for its reset; nothing waits past ``give_up_at``.
- **Delivered** only when the adapter says the platform confirmed it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
import threading

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rongmei.core import audit
from rongmei.core.models import AuditEntry
from rongmei.distribution.channels import adapter_for
from rongmei.distribution.channels.base import (
    CannotTell,
    Context,
    Delivered,
    DeliveryError,
    LeaseLost,
    ManualCheck,
    Permanent,
    RateLimited,
    Temporary,
    Uncertain,
    Waiting,
)
from rongmei.distribution.models import ACTIVE_STATES, Delivery, DeliveryEvent, DeliveryState

logger = logging.getLogger(__name__)

S = DeliveryState
MAX_BACKOFF_EXPONENT = 6


def lease_seconds() -> float:
    return float(getattr(settings, "DELIVERY_LEASE_SECONDS", 120))


def backoff_base() -> float:
    return float(getattr(settings, "DELIVERY_BACKOFF_SECONDS", 60))


def backoff(attempt: int) -> float:
    """Seconds before retry number ``attempt`` (1, 2, …): exponential with
    full jitter in its upper half, so retries of a batch spread out."""
    ceiling = backoff_base() * 2 ** min(MAX_BACKOFF_EXPONENT, max(0, attempt - 1))
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not a secret


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:80]


# -- HTTP clients, one per thread and address (connections are reused)

_clients = threading.local()


def http_client(channel, adapter) -> httpx.Client:
    base = (channel.api_base_url or adapter.default_base_url).rstrip("/")
    key = (base, channel.proxy_url, adapter.timeout)
    cache = getattr(_clients, "cache", None)
    if cache is None:
        cache = _clients.cache = {}
    client = cache.get(key)
    if client is None:
        connect, read = adapter.timeout
        client = httpx.Client(
            base_url=base,
            proxy=channel.proxy_url or None,
            timeout=httpx.Timeout(read, connect=connect),
            trust_env=False,  # the channel's own proxy setting, never the process's environment
            headers={"User-Agent": "Rongmei publish queue"},
        )
        cache[key] = client
    return client


# -- claiming and recording


def claim(delivery_id: int, worker: str) -> Delivery | None:
    """Take the delivery if it is due and nobody holds it; count the attempt."""
    now = timezone.now()
    taken = (
        Delivery.objects.filter(pk=delivery_id, state__in=ACTIVE_STATES)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            state=S.IN_PROGRESS,
            lease_until=now + dt.timedelta(seconds=lease_seconds()),
            claimed_by=worker,
            updated_at=now,
        )
    )
    if not taken:
        return None
    return Delivery.objects.select_related("channel", "story").get(pk=delivery_id)


def _held(delivery: Delivery, worker: str):
    return Delivery.objects.filter(pk=delivery.pk, claimed_by=worker, state=S.IN_PROGRESS)


def save_checkpoint(delivery: Delivery, worker: str, checkpoint: dict) -> None:
    now = timezone.now()
    if not _held(delivery, worker).update(
        checkpoint=checkpoint, lease_until=now + dt.timedelta(seconds=lease_seconds()), updated_at=now
    ):
        raise LeaseLost(delivery.pk)
    delivery.checkpoint = checkpoint


def _event(delivery: Delivery, state: str, message: str, data: dict | None = None) -> None:
    DeliveryEvent.objects.create(
        delivery=delivery, state=state, attempt=delivery.attempts, message=message, data=data or {}
    )


def record_transition(delivery: Delivery, state: str, message: str = "", *, actor=None, data=None) -> None:
    """The event row, the audit entry and the outgoing webhooks of one change."""
    _event(delivery, state, message, data)
    with audit.audit_context(actor=actor, via=AuditEntry.Via.WORKER if actor is None else AuditEntry.Via.WEB):
        audit.record(
            f"distribution.delivery.{state}",
            delivery,
            data={"channel": delivery.channel_id, "story": delivery.story_id, "message": message, **(data or {})},
        )
    from rongmei.distribution import webhooks

    transaction.on_commit(lambda: webhooks.announce(delivery.pk, state))


def _finish(delivery: Delivery, worker: str, state: str, message: str, **fields) -> bool:
    """Move a claimed delivery to ``state``; False if the lease was lost."""
    now = timezone.now()
    attempts = delivery.attempts + (1 if fields.pop("counts", True) else 0)
    values = {"state": state, "lease_until": None, "updated_at": now, "attempts": attempts, **fields}
    values.setdefault("checkpoint", delivery.checkpoint)  # with the step results not yet written
    if state not in ACTIVE_STATES:
        values.setdefault("finished_at", now)
        values["next_attempt_at"] = None
    with transaction.atomic():
        if not _held(delivery, worker).update(**values):
            return False
        for key, value in values.items():
            setattr(delivery, key, value)
        record_transition(delivery, state, message, data=fields.get("data"))
    return True


def _retry_or_fail(delivery, worker, adapter, error: DeliveryError, now) -> str:
    attempts = delivery.attempts + 1
    if isinstance(error, RateLimited):
        when = error.reset_at
    else:
        when = now + dt.timedelta(seconds=backoff(attempts))
    out_of_time = when >= delivery.give_up_at
    if attempts >= adapter.max_attempts or out_of_time:
        if isinstance(error, Uncertain) or (delivery.checkpoint or {}).get("intents"):
            # The last try may have reached the platform: a person checks.
            _finish(
                delivery,
                worker,
                S.NEEDS_MANUAL_CHECK,
                error.message,
                last_error=error.message,
                last_error_code=error.code,
                instructions=adapter.manual_instructions(delivery),
            )
            return S.NEEDS_MANUAL_CHECK
        reason = "已达最大重试次数" if attempts >= adapter.max_attempts else "已超过发布时限"
        _finish(delivery, worker, S.FAILED, f"{reason}：{error.message}", last_error=error.message,
                last_error_code=error.code)  # fmt: skip
        return S.FAILED
    _finish(
        delivery, worker, S.RETRYING, error.message, last_error=error.message, last_error_code=error.code,
        next_attempt_at=when,
    )  # fmt: skip
    return S.RETRYING


def run(delivery_id: int, worker: str | None = None) -> str | None:
    """One attempt at one delivery; the state it is left in, or None when
    it was not ours to run (not due, held by another worker, ended)."""
    worker = worker or worker_name()
    delivery = claim(delivery_id, worker)
    if delivery is None:
        return None
    adapter = adapter_for(delivery.channel)
    now = timezone.now()
    if now >= delivery.give_up_at:
        if (delivery.checkpoint or {}).get("waiting"):
            # Accepted by the platform, not yet confirmed: it may still publish.
            error = Uncertain("已超过发布时限，平台已受理但没有给出发布结果。", code="deadline")
        else:
            error = Temporary("已超过发布时限，平台没有给出结果。", code="deadline")
        return _retry_or_fail(delivery, worker, adapter, error, now)
    checkpoint = delivery.checkpoint = dict(delivery.checkpoint or {})
    context = Context(
        channel=delivery.channel,
        delivery=delivery,
        credentials=delivery.channel.credentials,
        http=http_client(delivery.channel, adapter),
        checkpoint=checkpoint,
        save=lambda value: save_checkpoint(delivery, worker, value),
    )
    context.reconcile = lambda step: adapter.reconcile(context, step)
    try:
        if checkpoint.get("waiting"):
            outcome = adapter.poll(context)
        else:
            adapter.prepare(delivery)
            outcome = adapter.deliver(context)
    except LeaseLost:
        logger.warning("Delivery %s was taken over by another worker", delivery_id)
        return None
    except CannotTell as error:
        _finish(
            delivery, worker, S.NEEDS_MANUAL_CHECK, "上次尝试中断，平台无法查询是否已发布。",
            last_error=error.message, instructions=adapter.manual_instructions(delivery),
        )  # fmt: skip
        return S.NEEDS_MANUAL_CHECK
    except Permanent as error:
        _finish(delivery, worker, S.FAILED, error.message, last_error=error.message, last_error_code=error.code)
        return S.FAILED
    except Temporary as error:
        return _retry_or_fail(delivery, worker, adapter, error, now)
    except Exception as error:  # a bug or an answer nobody foresaw: keep it visible, retry
        logger.exception("Delivery %s: unexpected error", delivery_id)
        failure = Uncertain(f"意外错误：{type(error).__name__}: {error}"[:500], code="unexpected")
        return _retry_or_fail(delivery, worker, adapter, failure, now)
    return _settle(delivery, worker, adapter, outcome)


def _settle(delivery, worker, adapter, outcome) -> str | None:
    if isinstance(outcome, Delivered):
        ok = _finish(
            delivery, worker, S.DELIVERED, outcome.message or "平台已确认发布。",
            external_id=str(outcome.external_id)[:200], external_url=outcome.url[:500], last_error="",
            last_error_code="",
        )  # fmt: skip
        return S.DELIVERED if ok else None
    if isinstance(outcome, Waiting):
        first_wait = not delivery.checkpoint.get("waiting")
        checkpoint = {**delivery.checkpoint, "waiting": True}
        when = timezone.now() + dt.timedelta(seconds=outcome.seconds)
        if when >= delivery.give_up_at:
            _finish(
                delivery, worker, S.NEEDS_MANUAL_CHECK, "平台在时限内没有给出发布结果。",
                instructions=adapter.manual_instructions(delivery), checkpoint=checkpoint,
            )  # fmt: skip
            return S.NEEDS_MANUAL_CHECK
        # Still in progress on the platform's side: no lease, polled at ``when``.
        now = timezone.now()
        with transaction.atomic():
            if not _held(delivery, worker).update(
                lease_until=None, next_attempt_at=when, checkpoint=checkpoint, updated_at=now
            ):
                return None
            delivery.checkpoint, delivery.next_attempt_at = checkpoint, when
            if first_wait:
                _event(delivery, S.IN_PROGRESS, outcome.message or "平台已受理，等待发布结果。")
        from rongmei.distribution import tasks

        transaction.on_commit(lambda: tasks.schedule(delivery.pk, when))
        return S.IN_PROGRESS
    assert isinstance(outcome, ManualCheck)
    ok = _finish(delivery, worker, S.NEEDS_MANUAL_CHECK, outcome.instructions, instructions=outcome.instructions)
    return S.NEEDS_MANUAL_CHECK if ok else None


def due_ids(limit: int = 1000) -> list[int]:
    """Deliveries a worker should take now: due and not held by a live lease."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(state__in=ACTIVE_STATES)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
