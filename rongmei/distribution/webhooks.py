"""Signed JSON over HTTP: the outgoing webhooks on delivery state changes,
and the signing the generic webhook channel uses too.

Each request carries ``X-Rongmei-Timestamp`` (Unix seconds) and
``X-Rongmei-Signature: sha256=<hex>``, the HMAC-SHA256 with the webhook's
secret of ``"<timestamp>.<body>"``. A receiver recomputes it, compares in
constant time, and refuses timestamps older than a few minutes (replays).
``X-Rongmei-Event-Id`` is unique per event, so a receiver can drop repeats."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from huey.contrib.djhuey import db_task

SIGNATURE_HEADER = "X-Rongmei-Signature"
TIMESTAMP_HEADER = "X-Rongmei-Timestamp"
EVENT_HEADER = "X-Rongmei-Event-Id"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, timestamp: str, signature: str, *, tolerance: int = 300) -> bool:
    """What a receiver does (and what our tests do)."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(time.time() - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, stamp), signature or "")


def signed_request(payload: dict, secret: str, event_id: str | None = None) -> tuple[bytes, dict]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, body, timestamp),
        EVENT_HEADER: event_id or str(uuid.uuid4()),
    }
    return body, headers


def event_payload(delivery) -> dict:
    return {
        "event": "delivery.state_changed",
        "delivery": {
            "id": delivery.pk,
            "idempotency_key": str(delivery.idempotency_key),
            "story": delivery.story_id,
            "channel": {"id": delivery.channel_id, "kind": delivery.channel.kind, "name": delivery.channel.name},
            "action": delivery.action,
            "state": delivery.state,
            "attempts": delivery.attempts,
            "external_id": delivery.external_id,
            "external_url": delivery.external_url,
            "last_error": delivery.last_error,
            "updated_at": delivery.updated_at,
        },
    }


def announce(delivery_id: int, state: str) -> None:
    """Queue one signed POST per active webhook of the delivery's organisation."""
    from rongmei.distribution.models import Delivery, Webhook

    organisation = Delivery.objects.filter(pk=delivery_id).values_list("channel__organisation", flat=True).first()
    hooks = list(Webhook.objects.filter(organisation=organisation, is_active=True).values_list("pk", flat=True))
    for hook in hooks:
        send_webhook(hook, delivery_id, state, str(uuid.uuid4()))


@db_task(retries=5, retry_delay=30)
def send_webhook(webhook_id: int, delivery_id: int, state: str, event_id: str) -> int:
    """POST the event; a non-2xx answer raises, and Huey retries (5 times, 30 s apart)."""
    import httpx

    from rongmei.distribution.models import Delivery, Webhook

    hook = Webhook.objects.filter(pk=webhook_id, is_active=True).first()
    delivery = Delivery.objects.select_related("channel").filter(pk=delivery_id).first()
    if hook is None or delivery is None:
        return 0
    payload = event_payload(delivery)
    payload["delivery"]["state"] = state  # the state this event announces
    body, headers = signed_request(payload, hook.secret, event_id)
    response = httpx.post(hook.url, content=body, headers=headers, timeout=10, trust_env=False)
    response.raise_for_status()
    return response.status_code
