"""Figures of the inbox for a period: what the stats page shows and what
the performance report (绩效报告: 服务对象满意度, 社会效益) reads.

:func:`summary` is the one entry point; :func:`bar_chart` draws a figure
as inline SVG on the server (no chart library, no script, no CDN)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from html import escape

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.safestring import mark_safe

from rongmei.interaction.models import Clue, Grade, Item, Source

DIMENSIONS = {
    "category": "category__name",
    "grade": "grade",
    "source": "source",
    "department": "department__name",
}


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def _hours(deltas) -> list[float]:
    return [delta.total_seconds() / 3600 for delta in deltas if delta is not None and delta.total_seconds() >= 0]


def summary(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> dict:
    """The inbox's figures for items posted in ``[start, end)`` (dates are
    whole days in the center's time zone):

    - ``received``, ``answered``, ``resolved``, ``closed``, ``response_rate``
      (answered ÷ items that needed an answer, i.e. not closed);
    - ``first_response_hours`` and ``resolution_hours``: ``median`` and ``p90``;
    - ``overdue_now`` (still waiting past a deadline) and ``answered_late``;
    - ``praise`` (items in 表扬), ``urgent``, ``clues`` (clues made from them);
    - ``volume``: for each of category, grade, source and department, counts
      ``by_week`` and ``by_month`` (lists of ``{"period", "key", "count"}``)
      and ``total`` (``{key: count}``).
    """
    start, end = _moment(start), _moment(end)
    items = Item.objects.filter(posted_at__gte=start, posted_at__lt=end)
    now = timezone.now()
    rows = list(
        items.values_list("posted_at", "first_response_at", "resolved_at", "status", "first_response_due", "due_at")
    )
    received = len(rows)
    closed = sum(1 for r in rows if r[3] == Item.Status.CLOSED)
    answered = sum(1 for r in rows if r[1] is not None)
    first = _hours(r[1] - r[0] for r in rows if r[1] is not None)
    resolution = _hours(r[2] - r[0] for r in rows if r[2] is not None)
    needing = received - closed
    volume = {}
    tz = timezone.get_current_timezone()
    for name, field in DIMENSIONS.items():
        by = {}
        for label, trunc in (("by_week", TruncWeek), ("by_month", TruncMonth)):
            by[label] = [
                {
                    "period": row["period"].date() if hasattr(row["period"], "date") else row["period"],
                    "key": row[field] or "",
                    "count": row["n"],
                }
                for row in items.annotate(period=trunc("posted_at", tzinfo=tz))
                .values("period", field)
                .annotate(n=Count("id"))
                .order_by("period", field)
            ]
        total = defaultdict(int)
        for row in by["by_month"]:
            total[row["key"]] += row["count"]
        by["total"] = dict(sorted(total.items(), key=lambda kv: -kv[1]))
        volume[name] = by
    return {
        "start": start,
        "end": end,
        "received": received,
        "answered": answered,
        "resolved": sum(1 for r in rows if r[2] is not None),
        "closed": closed,
        "response_rate": (answered / needing) if needing else None,
        "first_response_hours": {"median": statistics.median(first) if first else None, "p90": _percentile(first, 0.9)},
        "resolution_hours": {
            "median": statistics.median(resolution) if resolution else None,
            "p90": _percentile(resolution, 0.9),
        },
        "overdue_now": sum(1 for r in rows if r[5] is not None and r[5] < now),
        "answered_late": sum(1 for r in rows if r[1] is not None and r[4] is not None and r[1] > r[4]),
        "praise": items.filter(category__name="表扬").count(),
        "urgent": items.filter(grade=Grade.URGENT).count(),
        "clues": Clue.objects.filter(items__in=items).distinct().count(),
        "volume": volume,
    }


def _moment(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def label_of(dimension: str, key: str) -> str:
    if dimension == "grade":
        return str(dict(Grade.choices).get(key, key))
    if dimension == "source":
        return str(dict(Source.choices).get(key, key))
    return key or "—"


def bar_chart(pairs: list[tuple[str, int]], *, title: str, width: int = 560, bar: int = 18) -> str:
    """A horizontal bar chart as inline SVG (labels escaped)."""
    top = max((count for _label, count in pairs), default=0) or 1
    label_w, gap = 120, 6
    height = max(1, len(pairs)) * (bar + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="inbox-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for n, (label, count) in enumerate(pairs):
        y = 5 + n * (bar + gap)
        w = round((width - label_w - 60) * count / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end" font-size="12">{escape(str(label))}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#2e6dad"></rect>'
            f'<text x="{label_w + w + 4}" y="{y + bar - 5}" font-size="12">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def safe_svg(markup: str):
    """A chart of :func:`bar_chart` for a template: every label in it is escaped there."""
    return mark_safe(markup)  # noqa: S308 - built here, labels escaped


def period_chart(rows: list[dict], *, title: str, dimension: str) -> str:
    """Counts per period (week or month), all keys together, as bars."""
    totals = defaultdict(int)
    for row in rows:
        totals[row["period"]] += row["count"]
    return bar_chart([(str(period), count) for period, count in sorted(totals.items())], title=title)
