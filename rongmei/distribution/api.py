"""The publish queue through the API: deliveries (list, get, retry,
cancel, record a manual publication) and channels (list with their health,
test the connection). Credentials never appear here."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from rongmei.core.apitools import Error, require
from rongmei.distribution import actions, health
from rongmei.distribution.models import Channel, Delivery, DeliveryState

router = Router(tags=["distribution"])

VIEW = "distribution.view_delivery"
OPERATE = "distribution.operate_delivery"


class EventOut(Schema):
    at: datetime
    state: str
    attempt: int
    message: str


class DeliveryOut(Schema):
    id: int
    story: int
    channel: int
    channel_name: str
    channel_kind: str
    action: str
    trigger: str
    state: str
    state_label: str
    attempts: int
    next_attempt_at: datetime | None
    give_up_at: datetime
    external_id: str
    external_url: str
    last_error: str
    instructions: str
    idempotency_key: str
    created_at: datetime
    finished_at: datetime | None
    title: str


class DeliveryDetailOut(DeliveryOut):
    events: list[EventOut]


class DeliveryFilter(Schema):
    state: DeliveryState | None = None
    channel: int | None = None
    story: int | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ManualIn(Schema):
    url: str = Field(description="Where the piece was published by hand")
    published_at: datetime | None = None


class PublishIn(Schema):
    channels: list[int] = Field(description="Channels to deliver the approved story to (by id)")


class ChannelOut(Schema):
    id: int
    kind: str
    name: str
    language: str
    transport: str
    auto_publish: bool
    is_active: bool
    has_credentials: bool
    api_base_url: str
    last_success_at: datetime | None
    failures_24h: int
    finished_24h: int
    failure_rate_24h: float | None
    active: int
    checked_at: datetime | None
    check_ok: bool | None
    check_message: str


class TestOut(Schema):
    ok: bool
    message: str


def _out(delivery: Delivery) -> dict:
    return {
        "id": delivery.pk,
        "story": delivery.story_id,
        "channel": delivery.channel_id,
        "channel_name": delivery.channel.name,
        "channel_kind": delivery.channel.kind,
        "action": delivery.action,
        "trigger": delivery.trigger,
        "state": delivery.state,
        "state_label": str(delivery.get_state_display()),
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "give_up_at": delivery.give_up_at,
        "external_id": delivery.external_id,
        "external_url": delivery.external_url,
        "last_error": delivery.last_error,
        "instructions": delivery.instructions,
        "idempotency_key": str(delivery.idempotency_key),
        "created_at": delivery.created_at,
        "finished_at": delivery.finished_at,
        "title": delivery.payload.get("title", ""),
    }


def _detail(delivery: Delivery) -> dict:
    return {
        **_out(delivery),
        "events": [
            {"at": e.at, "state": e.state, "attempt": e.attempt, "message": e.message} for e in delivery.events.all()
        ],
    }


def _delivery(delivery_id: int) -> Delivery:
    return get_object_or_404(Delivery.objects.select_related("channel"), pk=delivery_id)


@router.get("/deliveries", response=list[DeliveryOut], summary="Deliveries, newest first")
def list_deliveries(request: HttpRequest, filters: Query[DeliveryFilter]):
    require(request, VIEW)
    rows = Delivery.objects.select_related("channel").order_by("-created_at", "-pk")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.channel:
        rows = rows.filter(channel_id=filters.channel)
    if filters.story:
        rows = rows.filter(story_id=filters.story)
    return [_out(d) for d in rows[filters.offset : filters.offset + filters.limit]]


@router.get("/deliveries/{delivery_id}", response={200: DeliveryDetailOut, 404: Error}, summary="One delivery")
def get_delivery(request: HttpRequest, delivery_id: int):
    require(request, VIEW)
    return _detail(_delivery(delivery_id))


def _act(request, delivery_id, action, **kwargs):
    require(request, OPERATE)
    try:
        delivery = action(_delivery(delivery_id), user=request.user, **kwargs)
    except actions.DeliveryRefused as refused:
        return Status(409, {"detail": refused.message})
    return _detail(delivery)


@router.post(
    "/deliveries/{delivery_id}/retry",
    response={200: DeliveryDetailOut, 404: Error, 409: Error},
    summary="Try a failed, canceled or checked delivery again",
)
def retry_delivery(request: HttpRequest, delivery_id: int):
    return _act(request, delivery_id, actions.retry)


@router.post(
    "/deliveries/{delivery_id}/cancel",
    response={200: DeliveryDetailOut, 404: Error, 409: Error},
    summary="Cancel a delivery that has not been sent",
)
def cancel_delivery(request: HttpRequest, delivery_id: int):
    return _act(request, delivery_id, actions.cancel)


@router.post(
    "/deliveries/{delivery_id}/published-manually",
    response={200: DeliveryDetailOut, 404: Error, 409: Error},
    summary="Record a publication done by hand (address and time)",
)
def mark_published(request: HttpRequest, delivery_id: int, payload: ManualIn):
    if not payload.url.startswith(("http://", "https://")):
        return Status(409, {"detail": "发布链接须以 http:// 或 https:// 开头。"})
    return _act(
        request, delivery_id, actions.mark_published_manually, url=payload.url, published_at=payload.published_at
    )


@router.post(
    "/stories/{story_id}/deliveries",
    response={200: list[DeliveryOut], 404: Error, 409: Error},
    summary="Deliver an approved story to chosen channels now (those not publishing on approval, say)",
)
def publish_story(request: HttpRequest, story_id: int, payload: PublishIn):
    from rongmei.stories.models import Story

    require(request, OPERATE)
    story = get_object_or_404(Story, pk=story_id)
    channels = list(Channel.objects.filter(pk__in=payload.channels, is_active=True))
    try:
        made = actions.publish_now(story, user=request.user, channels=channels)
    except actions.DeliveryRefused as refused:
        return Status(409, {"detail": refused.message})
    return [_out(delivery) for delivery in made]


@router.get("/channels", response=list[ChannelOut], summary="Channels with their publishing health")
def list_channels(request: HttpRequest):
    require(request, "distribution.view_channel")
    return [health.channel_out(line) for line in health.lines()]


@router.post("/channels/{channel_id}/test", response={200: TestOut, 404: Error}, summary="Test the channel's account")
def test_channel(request: HttpRequest, channel_id: int):
    require(request, "distribution.change_channel")
    ok, message = actions.test_connection(get_object_or_404(Channel, pk=channel_id), user=request.user)
    return {"ok": ok, "message": message}
