"""The one way to write the audit log.

Every state change calls :func:`record` inside the same transaction as the
change, so an entry exists exactly when the change does. Who and from where
come from the request being served (set by ``AuditContextMiddleware``), or
are given explicitly by commands and background tasks.
"""

from __future__ import annotations

import contextlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from rongmei.core.models import AuditEntry


@dataclass
class AuditContext:
    request: Any = None
    actor: Any = None
    ip: str | None = None
    via: str = AuditEntry.Via.SYSTEM

    def resolve_actor(self):
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_context: ContextVar[AuditContext | None] = ContextVar("rongmei_audit_context", default=None)


def client_ip(request) -> str | None:
    if getattr(settings, "RONGMEI_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


@contextlib.contextmanager
def audit_context(*, request=None, actor=None, ip=None, via=None):
    """Attribute every entry written inside the block to this actor and origin."""
    if request is not None:
        ip = ip or client_ip(request)
        if via is None:
            via = AuditEntry.Via.API if request.path.startswith("/api/") else AuditEntry.Via.WEB
    token = _context.set(AuditContext(request=request, actor=actor, ip=ip, via=via or AuditEntry.Via.SYSTEM))
    try:
        yield
    finally:
        _context.reset(token)


def _plain(data: dict | None) -> dict:
    # JSONField cannot store dates, Decimals or lazy strings; keep them readable.
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, default=str))


def record(
    action: str,
    obj=None,
    *,
    actor=None,
    data: dict | None = None,
    object_repr: str | None = None,
    content_type: ContentType | None = None,
    object_id: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit log and return it.

    ``action`` is a dotted name such as ``"core.token.revoke"``; ``obj`` is the
    model instance acted on, if any (or, for an object already gone, its
    ``content_type``, ``object_id`` and ``object_repr``); ``data`` holds the
    details (changed fields, comments) as JSON.
    """
    context = _context.get() or AuditContext()
    actor = actor if actor is not None else context.resolve_actor()
    entry = AuditEntry(
        action=action,
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        ip=context.ip,
        via=context.via,
        data=_plain(data),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)
        entry.object_repr = (object_repr or str(obj))[:255]
    else:
        entry.content_type = content_type
        entry.object_id = str(object_id or "")
        entry.object_repr = (object_repr or "")[:255]
    entry.save()
    return entry
