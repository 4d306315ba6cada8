"""Deadlines of inbox items: the first response and the resolution, by
grade (:class:`GradePolicy`); an item forwarded to a department has that
department's answer deadline for its resolution. ``due_at`` is the next
deadline that applies, so that "overdue" is one indexed comparison."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from rongmei.interaction.models import Grade, GradePolicy, Item

# Used where no policy row exists (hours): first response, resolution, review.
DEFAULTS = {
    Grade.NORMAL: (24, 120, False),
    Grade.IMPORTANT: (8, 72, True),
    Grade.URGENT: (2, 24, True),
}


def policies() -> dict[str, tuple[int, int, bool]]:
    found = {
        p.grade: (p.first_response_hours, p.resolution_hours, p.review_required) for p in GradePolicy.objects.all()
    }
    return {grade: found.get(grade, default) for grade, default in DEFAULTS.items()}


def review_required(grade: str) -> bool:
    return policies()[grade][2]


def set_due(item: Item, table: dict | None = None) -> Item:
    """Fill in the item's deadlines from its grade, counted from its posting."""
    table = table or policies()
    first, resolution, _review = table.get(item.grade, DEFAULTS[Grade.NORMAL])
    item.first_response_due = item.posted_at + dt.timedelta(hours=first)
    item.resolution_due = item.posted_at + dt.timedelta(hours=resolution)
    item.due_at = next_due(item)
    return item


def next_due(item: Item) -> dt.datetime | None:
    if item.status in (Item.Status.RESOLVED, Item.Status.CLOSED):
        return None
    if item.first_response_at is None:
        return item.first_response_due
    return item.resolution_due


def mark_answered(item: Item, when: dt.datetime | None = None) -> Item:
    """The item had its first public answer (kept by the website's own flow)."""
    item.first_response_at = item.first_response_at or when or timezone.now()
    if item.status in Item.OPEN:
        item.status = Item.Status.ANSWERED
    item.due_at = next_due(item)
    item.save(update_fields=["first_response_at", "status", "due_at"])
    return item
