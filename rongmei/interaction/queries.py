"""Questions other apps ask about public messages (the website inspection
flags messages left unanswered too long)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from rongmei.interaction.models import Message


def unanswered(older_than_days: int) -> QuerySet[Message]:
    """Messages still waiting for a reply that were received more than
    ``older_than_days`` days ago, oldest first (closed ones need none)."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    return Message.objects.filter(status=Message.Status.RECEIVED, created_at__lt=cutoff).order_by("created_at", "pk")
