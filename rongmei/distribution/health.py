"""Each channel's publishing health: last confirmed delivery, failures
over the last 24 hours, deliveries still under way. Shared by the board,
the dashboard panel and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from rongmei.distribution.models import ACTIVE_STATES, Channel, Delivery, DeliveryState

S = DeliveryState
WINDOW = dt.timedelta(hours=24)


@dataclass
class Line:
    channel: Channel
    last_success_at: dt.datetime | None
    failures_24h: int
    finished_24h: int
    active: int

    @property
    def failure_rate(self) -> float | None:
        return round(self.failures_24h / self.finished_24h, 3) if self.finished_24h else None


def lines(channels=None) -> list[Line]:
    since = timezone.now() - WINDOW
    channels = channels if channels is not None else Channel.objects.filter(is_active=True)
    stats = (
        Delivery.objects.filter(channel__in=channels)
        .values("channel")
        .annotate(
            last_success=Max("finished_at", filter=Q(state=S.DELIVERED)),
            failures=Count("pk", filter=Q(state=S.FAILED, finished_at__gte=since)),
            finished=Count("pk", filter=Q(finished_at__gte=since) & ~Q(state__in=ACTIVE_STATES)),
            active=Count("pk", filter=Q(state__in=ACTIVE_STATES)),
        )
    )
    by_channel = {row["channel"]: row for row in stats}
    result = []
    for channel in channels:
        row = by_channel.get(channel.pk, {})
        result.append(
            Line(
                channel=channel,
                last_success_at=row.get("last_success"),
                failures_24h=row.get("failures", 0),
                finished_24h=row.get("finished", 0),
                active=row.get("active", 0),
            )
        )
    return result


def channel_out(line: Line) -> dict:
    channel = line.channel
    return {
        "id": channel.pk,
        "kind": channel.kind,
        "name": channel.name,
        "language": channel.language,
        "transport": channel.transport,
        "auto_publish": channel.auto_publish,
        "is_active": channel.is_active,
        "has_credentials": channel.has_credentials,
        "api_base_url": channel.api_base_url,
        "last_success_at": line.last_success_at,
        "failures_24h": line.failures_24h,
        "finished_24h": line.finished_24h,
        "failure_rate_24h": line.failure_rate,
        "active": line.active,
        "checked_at": channel.checked_at,
        "check_ok": channel.check_ok,
        "check_message": channel.check_message,
    }


def alerts() -> dict:
    """What the dashboard warns about: failed deliveries in the last week, and
    deliveries waiting for a person."""
    week = timezone.now() - dt.timedelta(days=7)
    return {
        "failed": Delivery.objects.filter(state=S.FAILED, finished_at__gte=week).count(),
        "manual": Delivery.objects.filter(state=S.NEEDS_MANUAL_CHECK).count(),
    }
