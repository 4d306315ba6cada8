"""The inbox through the API: list (filters, keyset cursor, bounded count),
one item with its replies, reply, approve a held reply, and the figures of
a period. Permissions are checked here and again in the actions."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from rongmei.core.apitools import Error, require
from rongmei.interaction import actions, queries, stats
from rongmei.interaction.actions import MessageRefused
from rongmei.interaction.models import Item, Reply, ReplyTemplate

router = Router(tags=["interaction"])


class ItemOut(Schema):
    id: int
    source: str
    external_id: str
    url: str
    author: str
    content: str
    posted_at: datetime
    pulled_at: datetime
    category: str | None
    category_by: str
    topic: str
    grade: str
    grade_reasons: list[str]
    level: str
    department: str | None
    assignee: str | None
    flagged: bool
    status: str
    first_response_at: datetime | None
    resolved_at: datetime | None
    due_at: datetime | None
    overdue: bool

    @staticmethod
    def resolve_category(obj):
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_department(obj):
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.get_username() if obj.assignee_id else None

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue


class ReplyOut(Schema):
    id: int
    item: int = Field(alias="item_id")
    text: str
    public: bool
    status: str
    error: str
    written_at: datetime
    sent_at: datetime | None


class ItemDetailOut(ItemOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(obj):
        return list(obj.replies.all())


class ItemPageOut(Schema):
    items: list[ItemOut]
    next_cursor: str
    count: int
    count_label: str
    timed_out: bool  # a search (q) that took too long: no items, narrow it down


class ItemFilter(Schema):
    source: str = ""
    category: int | None = None
    grade: str = ""
    status: str = ""
    department: int | None = None
    overdue: bool = False
    q: str = ""
    after: str = Field("", description="The next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class ReplyIn(Schema):
    text: str
    public: bool = True
    template: int | None = None


class ReviewIn(Schema):
    note: str = ""


@router.get("/inbox/items", response=ItemPageOut)
def list_items(request: HttpRequest, filters: Query[ItemFilter]):
    require(request, actions.VIEW_ITEMS)
    inbox_filter = queries.InboxFilter(
        source=filters.source,
        category=filters.category,
        grade=filters.grade,
        status=filters.status,
        department=filters.department,
        overdue=filters.overdue,
        q=filters.q[:100],
    )
    page = queries.inbox_page(inbox_filter, cursor=filters.after, per_page=filters.limit)
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "count": page.count,
        "count_label": page.count_label,
        "timed_out": page.timed_out,
    }


@router.get("/inbox/items/{item_id}", response=ItemDetailOut)
def get_item(request: HttpRequest, item_id: int):
    require(request, actions.VIEW_ITEMS)
    return get_object_or_404(Item.objects.select_related("category", "department", "assignee"), pk=item_id)


@router.post("/inbox/items/{item_id}/reply", response={200: ReplyOut, 400: Error})
def reply(request: HttpRequest, item_id: int, payload: ReplyIn):
    """Reply: sent through the channel, published on the website or
    recorded; ``pending_review`` when the grade requires an approval;
    ``failed`` (with ``error``) when the channel refused it."""
    require(request, actions.HANDLE_ITEMS)
    item = get_object_or_404(Item, pk=item_id)
    template = ReplyTemplate.objects.filter(pk=payload.template).first() if payload.template else None
    try:
        return 200, actions.reply(item, user=request.user, text=payload.text, template=template, public=payload.public)
    except MessageRefused as refused:
        return 400, {"detail": refused.message}


@router.post("/inbox/replies/{reply_id}/approve", response={200: ReplyOut, 400: Error})
def approve(request: HttpRequest, reply_id: int, payload: ReviewIn):
    require(request, actions.REVIEW_REPLIES)
    answer = get_object_or_404(Reply, pk=reply_id)
    try:
        return 200, actions.approve_reply(answer, user=request.user, note=payload.note)
    except MessageRefused as refused:
        return 400, {"detail": refused.message}


@router.get("/inbox/stats")
def figures(request: HttpRequest, start: date, end: date):
    """:func:`rongmei.interaction.stats.summary` for ``[start, end]`` (whole days)."""
    import datetime as dt

    require(request, actions.VIEW_ITEMS)
    result = stats.summary(start, end + dt.timedelta(days=1))
    return {**result, "start": result["start"].isoformat(), "end": result["end"].isoformat()}
