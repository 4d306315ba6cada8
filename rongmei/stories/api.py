"""Stories through the API: create, edit, find, submit, review."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from rongmei.core.apitools import Error, require
from rongmei.core.search import search
from rongmei.stories import actions, proofread, review
from rongmei.stories.models import Category, Story

router = Router(tags=["stories"])


class StoryIn(Schema):
    title: str = Field(..., max_length=200)
    kicker: str = ""
    subtitle: str = ""
    body: str = Field("", description="rich text (HTML); sanitised on save")
    summary: str = ""
    category_id: int | None = None
    source: Literal["original", "reprint"] = "original"
    source_name: str = ""
    photographers: str = ""
    camera_operators: str = ""
    planned_publish_at: datetime | None = None
    embargo_until: datetime | None = None
    keywords: list[str] = []
    reporter_ids: list[int] | None = None


class StoryUpdate(Schema):
    base_revision_id: int | None = Field(
        None, description="the revision you edited; a newer one answers 409 instead of being overwritten"
    )
    title: str | None = Field(None, max_length=200)
    kicker: str | None = None
    subtitle: str | None = None
    body: str | None = None
    summary: str | None = None
    category_id: int | None = None
    source: Literal["original", "reprint"] | None = None
    source_name: str | None = None
    photographers: str | None = None
    camera_operators: str | None = None
    planned_publish_at: datetime | None = None
    embargo_until: datetime | None = None
    keywords: list[str] | None = None
    reporter_ids: list[int] | None = None


class StoryOut(Schema):
    id: int
    title: str
    kicker: str
    subtitle: str
    summary: str
    body: str
    author: str
    category: str | None
    keywords: list[str]
    source: str
    source_name: str
    status: str
    status_label: str
    review_level: int | None
    revision_id: int | None
    approved: bool
    updated_at: datetime


class HitOut(Schema):
    field: str
    start: int
    end: int
    text: str
    rule: str
    message: str
    suggestion: str
    severity: str
    before: str = Field(description="up to 12 characters before the hit")
    after: str = Field(description="up to 12 characters after the hit")
    context: str = Field(description="before【text】after")
    overridden: bool


class ProofreadingOut(Schema):
    summary: dict
    hits: list[HitOut]


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    level: int | None = Field(None, ge=1, le=3, description="the level you review at: 1 初审, 2 复审, 3 终审")
    comment: str = ""


class OverrideIn(Schema):
    rule: str
    text: str
    reason: str


class SheetRowOut(Schema):
    submission: int
    level: int
    level_name: str
    reviewer: str
    decision: str
    at: datetime | None
    comment: str


def _out(story: Story) -> dict:
    code, label = review.status(story)
    return {
        "id": story.pk,
        "title": story.title,
        "kicker": story.kicker,
        "subtitle": story.subtitle,
        "summary": story.summary,
        "body": story.body,
        "author": str(story.author),
        "category": story.category.name if story.category_id else None,
        "keywords": sorted(tag.name for tag in story.keywords.all()),
        "source": story.source,
        "source_name": story.source_name,
        "status": code,
        "status_label": label,
        "review_level": review.current_level(story),
        "revision_id": story.latest_revision_id,
        "approved": story.live,
        "updated_at": story.updated_at,
    }


def _fields(payload: Schema, *, partial: bool) -> tuple[dict, dict]:
    data = payload.dict(exclude_unset=partial)
    data.pop("base_revision_id", None)
    extra = {}
    if "keywords" in data:
        extra["keywords"] = data.pop("keywords")
    if "reporter_ids" in data:
        ids = data.pop("reporter_ids")
        if ids is not None:
            from django.contrib.auth import get_user_model

            extra["reporters"] = list(get_user_model().objects.filter(pk__in=ids))
    if "category_id" in data:
        category_id = data.pop("category_id")
        data["category"] = get_object_or_404(Category, pk=category_id) if category_id else None
    return data, extra


def _call(fn, *args, **kwargs):
    """Run an action; turn its refusals into answers with one clear sentence."""
    try:
        return fn(*args, **kwargs)
    except actions.SubmissionBlocked as blocked:
        return Status(409, {"detail": blocked.message})
    except actions.StoryError as error:
        return Status(error.status, {"detail": error.message})
    except ValidationError as error:
        return Status(422, {"detail": error.message_dict if hasattr(error, "error_dict") else error.messages})


@router.get("/stories", response=list[StoryOut], summary="List and search stories")
def list_stories(
    request: HttpRequest,
    q: str | None = None,
    category: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
):
    require(request, "stories.view_story")
    stories = Story.objects.select_related("author", "category", "latest_revision").prefetch_related("keywords")
    if category:
        stories = stories.filter(category__name=category)
    if status:
        stories = review.filter_status(stories, status)
    limit = max(1, min(limit, 200))
    if q:
        results = search(stories, q, limit=limit, offset=offset)
    else:
        results = list(stories.order_by("-updated_at")[offset : offset + limit])
    return [_out(story) for story in results]


@router.post("/stories", response={201: StoryOut, 400: Error, 403: Error, 409: Error, 422: Error})
def create_story(request: HttpRequest, payload: StoryIn):
    require(request, "stories.add_story")
    data, extra = _fields(payload, partial=False)
    result = _call(actions.create_story, author=request.user, **extra, **data)
    return result if isinstance(result, Status) else Status(201, _out(result))


@router.get("/stories/{story_id}", response=StoryOut)
def get_story(request: HttpRequest, story_id: int):
    require(request, "stories.view_story")
    return _out(get_object_or_404(Story, pk=story_id))


@router.put("/stories/{story_id}", response={200: StoryOut, 400: Error, 403: Error, 409: Error, 422: Error})
def update_story(request: HttpRequest, story_id: int, payload: StoryUpdate):
    require(request, "stories.change_story")
    story = get_object_or_404(Story, pk=story_id)
    data, extra = _fields(payload, partial=True)
    result = _call(
        actions.update_story, story, user=request.user, base_revision_id=payload.base_revision_id, **extra, **data
    )
    return result if isinstance(result, Status) else _out(result)


@router.post("/stories/{story_id}/submit", response={200: StoryOut, 403: Error, 409: Error})
def submit(request: HttpRequest, story_id: int):
    story = get_object_or_404(Story, pk=story_id)
    result = _call(actions.submit_for_review, story, user=request.user)
    return result if isinstance(result, Status) else _out(Story.objects.get(pk=story_id))


@router.post("/stories/{story_id}/review", response={200: StoryOut, 400: Error, 403: Error, 409: Error})
def decide(request: HttpRequest, story_id: int, payload: DecisionIn):
    story = get_object_or_404(Story, pk=story_id)
    result = _call(
        actions.decide,
        story,
        user=request.user,
        decision=payload.decision,
        level=payload.level,
        comment=payload.comment,
    )
    return result if isinstance(result, Status) else _out(Story.objects.get(pk=story_id))


@router.get("/stories/{story_id}/proofreading", response=ProofreadingOut)
def proofreading(request: HttpRequest, story_id: int):
    require(request, "stories.view_story")
    hits = proofread.proofread(get_object_or_404(Story, pk=story_id))
    return {"summary": proofread.summary(hits), "hits": [hit.as_dict() for hit in hits]}


@router.post("/stories/{story_id}/proofreading/overrides", response={201: dict, 400: Error, 403: Error})
def override(request: HttpRequest, story_id: int, payload: OverrideIn):
    story = get_object_or_404(Story, pk=story_id)
    result = _call(
        actions.override_proofreading, story, user=request.user, rule=payload.rule, text=payload.text,
        reason=payload.reason,
    )  # fmt: skip
    return result if isinstance(result, Status) else Status(201, {"rule": result.rule, "text": result.text})


@router.get("/stories/{story_id}/review-sheet", response=list[SheetRowOut])
def review_sheet(request: HttpRequest, story_id: int):
    require(request, "stories.view_story")
    return [row.__dict__ for row in review.review_sheet(get_object_or_404(Story, pk=story_id))]
