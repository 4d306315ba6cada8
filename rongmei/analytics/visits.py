"""Page views of the website (访问量), counted per page and day in our own
database: no third-party script, and nothing about the visitor is kept —
no address, no cookie, no user agent, not even the time of day.

:func:`count_request` is called by the ``before_serve_page`` hook
(``wagtail_hooks.py``) for every GET of a home, column or article page
that a person (not a crawler, a prefetch or a preview) asks for (the
page itself: not its feed or search results), and :func:`count_cached` for
the same page answered from the website's cache by address. Views are added
up in the process and written by :func:`flush` at most every
``PAGE_VIEW_FLUSH_SECONDS`` (by the request that finds the time up, and when
the process exits): one ``UPDATE … SET views = views + n`` per page and day;
the first write of the day inserts the row, and when two first writes meet,
the loser of the unique constraint updates instead. A write per view made
the page view cost three times the page itself (bench/website_pages.py).
The analytics and the performance report read :func:`views_for` and
:func:`daily_totals`."""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from rongmei.analytics.models import PageView
from rongmei.website import cache as website_cache

logger = logging.getLogger(__name__)

# User agents of crawlers and link checkers (matched case-insensitively).
BOT_MARKERS = ("bot", "spider", "crawl")
# The kinds of website page whose views are counted.
COUNTED_PAGE_TYPES = ("WebsiteHomePage", "ColumnPage", "ArticlePage")


def _counted_classes() -> tuple:
    from rongmei.website import models

    return tuple(getattr(models, name) for name in COUNTED_PAGE_TYPES if hasattr(models, name))


def is_person_viewing(request) -> bool:
    """Whether the request is a person opening the page: a GET, not a
    preview, not a browser's prefetch, and not a crawler."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    purpose = f"{request.headers.get('Sec-Purpose', '')} {request.headers.get('Purpose', '')}".lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    agent = request.headers.get("User-Agent", "").lower()
    return bool(agent) and not any(marker in agent for marker in BOT_MARKERS)


def count_view(page, day: dt.date | None = None) -> None:
    """One more view of ``page`` on ``day`` (today by default)."""
    _count(page.pk, getattr(page, "language", "") or "", day or timezone.localdate())


def _count(page_id: int, language: str, day: dt.date, views: int = 1) -> None:
    rows = PageView.objects.filter(page_id=page_id, day=day)
    if rows.update(views=F("views") + views):
        return
    try:
        with transaction.atomic():
            PageView.objects.create(page_id=page_id, day=day, language=language, views=views)
    except IntegrityError:  # another request made the day's row first
        rows.update(views=F("views") + views)


class _Pending:
    """The views counted in this process and not yet written."""

    def __init__(self):
        self.lock = threading.Lock()
        self.views: Counter[tuple[int, str, dt.date]] = Counter()
        self.written_at = time.monotonic()

    def add(self, page_id: int, language: str) -> bool:
        """Count one view; True when it is time to write."""
        with self.lock:
            self.views[(page_id, language, timezone.localdate())] += 1
            return time.monotonic() - self.written_at >= settings.PAGE_VIEW_FLUSH_SECONDS

    def take(self) -> Counter:
        with self.lock:
            views, self.views = self.views, Counter()
            self.written_at = time.monotonic()
            return views


_pending = _Pending()


def flush() -> int:
    """Write the views counted in this process; returns how many. A page
    whose write fails loses its views (logged), never fails a page."""
    views = _pending.take()
    for (page_id, language, day), count in views.items():
        try:
            with transaction.atomic():
                _count(page_id, language, day, count)
        except DatabaseError:
            logger.warning("%s view(s) of page %s could not be counted", count, page_id, exc_info=True)
    return sum(views.values())


atexit.register(flush)


def is_page_itself(serve_args) -> bool:
    """Whether a routable page is asked for its own view: not its feed, its
    search results or the redirect of an article that has moved (sub-routes
    of :class:`wagtail.contrib.routable_page.models.RoutablePageMixin`, whose
    route gives ``(view, args, kwargs)``)."""
    if not serve_args or not callable(serve_args[0]):
        return True
    return getattr(serve_args[0], "__name__", "") == "index_route"


def count_request(page, request, serve_args=()) -> bool:
    """Count the view if the page is a website page and a person asked for
    it; never fails the page (a count lost is better than a page not
    shown). Returns whether it counted."""
    if not isinstance(page, _counted_classes()) or not is_page_itself(serve_args):
        return False
    # The same page served from the cache by address counts there (count_cached).
    website_cache.note(request, page_view=[page.pk, getattr(page, "language", "") or ""])
    return _count_if_person(request, page.pk, getattr(page, "language", "") or "")


def count_cached(request, notes: dict) -> bool:
    """Count a view of a page served from the website's cache by address,
    as :func:`count_request` did when it was rendered."""
    if not notes.get("page_view"):
        return False
    page_id, language = notes["page_view"]
    return _count_if_person(request, page_id, language)


def _count_if_person(request, page_id: int, language: str) -> bool:
    if not is_person_viewing(request):
        return False
    if _pending.add(page_id, language):
        flush()
    return True


def views_for(page, since: dt.date, until: dt.date | None = None) -> int:
    """The views of ``page`` from ``since`` to ``until`` (today), both included."""
    rows = PageView.objects.filter(
        page_id=getattr(page, "pk", page), day__gte=since, day__lte=until or timezone.localdate()
    )
    return rows.aggregate(total=Sum("views"))["total"] or 0


def daily_totals(
    since: dt.date, language: str | None = None, until: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """The website's views per day from ``since`` to ``until`` (today), both
    included, days without views as 0; only one language's site if given."""
    until = until or timezone.localdate()
    rows = PageView.objects.filter(day__gte=since, day__lte=until)
    if language:
        rows = rows.filter(language=language)
    counts = dict(rows.values("day").annotate(total=Sum("views")).values_list("day", "total"))
    days = (until - since).days + 1
    return [(since + dt.timedelta(days=n), counts.get(since + dt.timedelta(days=n), 0)) for n in range(max(days, 0))]
