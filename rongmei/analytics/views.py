"""The admin's website-visits page (网站访问量): the views of each page over
the last 7 and 30 days, most viewed first, and the site's views per day as
bars. Server-side only: no chart library, no script."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from rongmei.analytics.models import PageView
from rongmei.analytics.visits import daily_totals
from rongmei.website.models import LANGUAGES

VIEW = "analytics.view_pageview"
PER_PAGE = 50
SHORT, LONG = 7, 30  # days


def _bars(days) -> list[dict]:
    top = max((count for _day, count in days), default=0)
    return [
        {"label": day.strftime("%m-%d"), "count": count, "percent": round(100 * count / top, 1) if top else 0}
        for day, count in reversed(days)
    ]


def visits(request):
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    short_since, long_since = today - dt.timedelta(days=SHORT - 1), today - dt.timedelta(days=LONG - 1)
    language = request.GET.get("language", "")
    if language not in dict(LANGUAGES):
        language = ""
    rows = PageView.objects.filter(day__gte=long_since, day__lte=today, page__isnull=False)
    if language:
        rows = rows.filter(language=language)
    per_page = (
        rows.values("page")
        .annotate(long=Sum("views"), short=Sum("views", filter=Q(day__gte=short_since)))
        .order_by("-long", "-short", "page")
    )
    page = Paginator(per_page, PER_PAGE).get_page(request.GET.get("p"))
    pages = Page.objects.filter(pk__in=[row["page"] for row in page]).specific().in_bulk()
    lines = []
    for row in page:
        target = pages.get(row["page"])
        if target is None:
            continue
        lines.append(
            {
                "page": target,
                "kind": target.specific_class._meta.verbose_name if target.specific_class else "",
                "public_url": target.get_url(request) or "",
                "edit_url": reverse("wagtailadmin_pages:edit", args=[target.pk]),
                "short": row["short"] or 0,
                "long": row["long"] or 0,
            }
        )
    days = daily_totals(long_since, language or None, until=today)
    return TemplateResponse(
        request,
        "analytics/visits.html",
        {
            "page_title": _("Website visits"),
            "header_icon": "view",
            "lines": lines,
            "page": page,
            "bars": _bars(days),
            "short_total": sum(count for day, count in days if day >= short_since),
            "long_total": sum(count for _day, count in days),
            "short": SHORT,
            "long": LONG,
            "languages": LANGUAGES,
            "language": language,
        },
    )
