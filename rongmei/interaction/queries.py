"""Questions other apps ask about public messages (the website inspection
flags messages left unanswered too long)."""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.utils import timezone

from rongmei.interaction.models import Message


def unanswered(older_than_days: int) -> QuerySet[Message]:
    """Messages still waiting for a reply that were received more than
    ``older_than_days`` days ago, oldest first (closed ones need none)."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    return Message.objects.filter(status=Message.Status.RECEIVED, created_at__lt=cutoff).order_by("created_at", "pk")


# -- the inbox listing: filters, keyset pages, bounded counts

INBOX_PAGE = 50
COUNT_CAP = 1000  # counts above this show as "1000+": no COUNT(*) over a million rows per page


@dataclass
class InboxFilter:
    source: str = ""
    category: int | None = None
    grade: str = ""
    status: str = ""  # a status, or "open" (new, assigned, in review) or "unresolved"
    department: int | None = None
    assignee: int | None = None
    overdue: bool = False
    flagged: bool | None = None
    q: str = ""

    @classmethod
    def from_query(cls, data) -> InboxFilter:
        def number(name):
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        return cls(
            source=(data.get("source") or "").strip(),
            category=number("category"),
            grade=(data.get("grade") or "").strip(),
            status=(data.get("status") or "").strip(),
            department=number("department"),
            assignee=number("assignee"),
            overdue=(data.get("overdue") or "") in ("1", "true", "on"),
            q=(data.get("q") or "").strip()[:100],
        )

    def apply(self, queryset: QuerySet) -> QuerySet:
        from rongmei.interaction.models import Item

        if self.source:
            queryset = queryset.filter(source=self.source)
        if self.category:
            queryset = queryset.filter(category_id=self.category)
        if self.grade:
            queryset = queryset.filter(grade=self.grade)
        if self.status == "open":
            queryset = queryset.filter(status__in=Item.OPEN)
        elif self.status == "unresolved":
            queryset = queryset.filter(status__in=Item.UNRESOLVED)
        elif self.status:
            queryset = queryset.filter(status=self.status)
        if self.department:
            queryset = queryset.filter(department_id=self.department)
        if self.assignee:
            queryset = queryset.filter(assignee_id=self.assignee)
        if self.overdue:
            queryset = queryset.filter(due_at__lt=timezone.now())
        if self.flagged is not None:
            queryset = queryset.filter(flagged=self.flagged)
        if self.q:
            queryset = queryset.filter(Q(content__contains=self.q) | Q(author__contains=self.q))
        return queryset


@dataclass
class InboxPage:
    items: list
    next_cursor: str  # "" on the last page
    count: int  # at most COUNT_CAP; -1 when counting took too long
    more: bool  # more than COUNT_CAP match
    timed_out: bool = False  # a search that took longer than SEARCH_BUDGET_MS: nothing listed

    @property
    def count_label(self) -> str:
        if self.count < 0:  # not counted: at least what is shown
            return f"{len(self.items)}+" if self.next_cursor else str(len(self.items))
        return f"{COUNT_CAP}+" if self.more else str(self.count)


COUNT_BUDGET_MS = 40  # a count that takes longer is given up ("50+")
# A word searched in the text is not in an index: a rare word with no other
# filter reads the whole table. Past this the page says so instead of waiting.
SEARCH_BUDGET_MS = 3000


@contextmanager
def time_limited(budget_ms: int):
    """The block's queries stop with a ``DatabaseError`` once they have run
    ``budget_ms`` milliseconds (SQLite: a progress handler; PostgreSQL:
    ``statement_timeout`` for the block's own transaction)."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        deadline = time.monotonic() + budget_ms / 1000
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 2000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                # 0 would mean no limit to PostgreSQL.
                cursor.execute("SET LOCAL statement_timeout = %s", [f"{max(1, budget_ms)}ms"])
            yield
    else:
        yield


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP, budget_ms: int = COUNT_BUDGET_MS) -> int:
    """How many rows match, up to ``cap + 1``; -1 when finding out takes
    more than ``budget_ms`` (a rare combination of filters scanning far)."""
    try:
        with time_limited(budget_ms):
            return queryset.order_by()[: cap + 1].count()
    except DatabaseError:
        return -1


def encode_cursor(item) -> str:
    return f"{item.posted_at.timestamp():.6f}_{item.pk}"


def decode_cursor(cursor: str):
    try:
        stamp, pk = cursor.split("_")
        return dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def inbox_page(
    filters: InboxFilter,
    *,
    cursor: str = "",
    per_page: int = INBOX_PAGE,
    count: bool = True,
    search_budget_ms: int | None = None,
) -> InboxPage:
    """One page of the inbox, newest first, after ``cursor`` (keyset
    pagination on (posted_at, id): every page costs the same, however
    deep). A search in the text that takes longer than ``search_budget_ms``
    (default :data:`SEARCH_BUDGET_MS`) gives an empty page with ``timed_out``."""
    from rongmei.interaction.models import Item

    matching = filters.apply(Item.objects.all())
    page = matching
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        posted_at, pk = after
        page = page.filter(Q(posted_at__lt=posted_at) | Q(posted_at=posted_at, id__lt=pk))
    rows = page.select_related("category", "department", "assignee", "channel").order_by("-posted_at", "-id")[
        : per_page + 1
    ]
    if filters.q:
        try:
            with time_limited(SEARCH_BUDGET_MS if search_budget_ms is None else search_budget_ms):
                rows = list(rows)
        except DatabaseError:
            return InboxPage([], "", 0, False, timed_out=True)
    rows = list(rows)
    next_cursor = encode_cursor(rows[per_page - 1]) if len(rows) > per_page else ""
    total = more = 0
    if count:
        total = capped_count(matching)
        more = total > COUNT_CAP
        total = min(total, COUNT_CAP)
    return InboxPage(rows[:per_page], next_cursor, total, bool(more))
