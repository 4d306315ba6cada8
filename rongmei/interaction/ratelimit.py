"""Rate limits of the public pages, counted in the database so that every
web process sees the same counts; no third-party service.

A client is its address as a salted hash (HMAC-SHA256 with the site's
secret key); hits are kept a day and then deleted. A hit is written (and
committed) before the hits are counted, so two processes racing at the
limit may both refuse, never both accept beyond it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.crypto import salted_hmac

from rongmei.core.audit import client_ip
from rongmei.interaction.models import RateLimitHit

SUBMIT = "submit"
LOOKUP = "lookup"

# (most requests, in seconds) for each scope.
MESSAGES_PER_10_MINUTES = 3
MESSAGES_PER_DAY = 20
LOOKUPS_PER_10_MINUTES = 30
LOOKUPS_PER_DAY = 200
LIMITS = {
    SUBMIT: [(MESSAGES_PER_10_MINUTES, 600), (MESSAGES_PER_DAY, 86_400)],
    LOOKUP: [(LOOKUPS_PER_10_MINUTES, 600), (LOOKUPS_PER_DAY, 86_400)],
}
KEEP = dt.timedelta(days=1)


def client_key(request) -> str:
    """The client's address as a salted hash: never the address itself."""
    return salted_hmac("rongmei.interaction.client", client_ip(request) or "", algorithm="sha256").hexdigest()


def _free_at(scope: str, client: str, now: dt.datetime, *, exclude: int) -> dt.datetime | None:
    """When the client may next be counted, ignoring hit ``exclude``; None when it may now."""
    free = None
    hits = RateLimitHit.objects.filter(scope=scope, client=client).exclude(pk=exclude)
    for most, seconds in LIMITS[scope]:
        window = dt.timedelta(seconds=seconds)
        times = list(hits.filter(at__gt=now - window).order_by("-at").values_list("at", flat=True)[:most])
        if len(times) >= most:
            at = times[most - 1] + window
            free = at if free is None else max(free, at)
    return free


def take(scope: str, client: str) -> dt.datetime | None:
    """Count one request of ``client`` in ``scope``: None when it is allowed,
    else the time from which it will be (and nothing is counted)."""
    now = timezone.now()
    RateLimitHit.objects.filter(at__lt=now - KEEP).delete()
    hit = RateLimitHit.objects.create(scope=scope, client=client, at=now)
    free = _free_at(scope, client, now, exclude=hit.pk)
    if free is not None:
        hit.delete()
    return free
