"""The media archive through the API: upload (plain and chunked,
resumable), find, catalogue, bulk edit, usages, events, attach to stories."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from rongmei.archive import actions, browse, catalogue, uploads
from rongmei.archive.ingest import IngestError, ingest_upload
from rongmei.archive.models import Asset, Event, Upload
from rongmei.core.apitools import Error, require

router = Router(tags=["archive"])


class RenditionOut(Schema):
    kind: str
    width: int | None
    height: int | None
    size: int


class AssetOut(Schema):
    id: int
    kind: str
    status: str
    processing_error: str
    title: str
    caption: str
    original_name: str
    sha256: str
    size: int
    mime_type: str
    uploaded_at: datetime.datetime
    width: int | None
    height: int | None
    orientation: str
    taken_at: datetime.datetime | None
    camera: str
    lens: str
    latitude: float | None
    longitude: float | None
    duration: float | None
    video_codec: str
    audio_codec: str
    frame_rate: float | None
    bitrate: int | None
    event_id: int | None
    event: str | None
    date: datetime.date | None
    location: str
    people: list[str]
    organisations: str
    photographer: str
    keywords: list[str]
    category: str | None
    rights: str
    rights_holder: str
    rights_expire_on: datetime.date | None
    rights_expired: bool
    security: str
    renditions: list[RenditionOut]


class IngestedOut(Schema):
    duplicate: bool = Field(description="true: the same content was already in the archive; this is that asset")
    asset: AssetOut


class PageOut(Schema):
    total: int = Field(description="matches in all (of a full-text query: among its best 2,000)")
    page: int
    items: list[AssetOut]
    facets: dict


class CatalogueIn(Schema):
    title: str | None = None
    caption: str | None = None
    event: int | str | None = Field(None, description="event id, or a name (a new name creates the event)")
    date: str | None = Field(None, description="YYYY-MM-DD")
    location: str | None = None
    people: list[str] | None = None
    organisations: str | None = None
    photographer: str | None = None
    keywords: list[str] | None = None
    category: str | None = None
    rights: str | None = Field(None, description="own, licensed or restricted")
    rights_holder: str | None = None
    rights_expire_on: str | None = Field(None, description="YYYY-MM-DD")
    security: str | None = Field(None, description="public, internal or restricted")
    collection: int | None = None


class BulkEditIn(Schema):
    ids: list[int]
    fields: CatalogueIn


class UploadIn(Schema):
    filename: str
    size: int = Field(description="bytes")
    catalogue: CatalogueIn | None = None


class UploadOut(Schema):
    id: str
    filename: str
    size: int
    offset: int = Field(description="bytes received so far: send the next chunk from here")
    complete: bool
    error: str
    asset: AssetOut | None = None
    duplicate: bool | None = None


class UsageOut(Schema):
    story_id: int
    title: str
    rights_override_reason: str


class EventOut(Schema):
    id: int
    name: str
    kind: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    location: str
    description: str
    assets: int


class EventDetailOut(EventOut):
    by_kind: dict[str, int]
    by_photographer: dict[str, int]


class AttachIn(Schema):
    asset_id: int
    override_reason: str = Field("", description="required when the asset's usage rights have expired")


def _asset(request, asset_id: int) -> Asset:
    return get_object_or_404(Asset.objects.visible_to(request.user), pk=asset_id)


def _out(asset: Asset) -> dict:
    return {
        **{field: getattr(asset, field) for field in AssetOut.model_fields if hasattr(asset, field)},
        "event": asset.event.name if asset.event_id else None,
        "people": [person.name for person in asset.people.all()],
        "keywords": sorted(asset.keywords.names()),
        "category": asset.category.name if asset.category_id else None,
        "rights_expired": asset.rights_expired,
        "renditions": [
            {"kind": r.kind, "width": r.width, "height": r.height, "size": r.size} for r in asset.renditions.all()
        ],
    }


def _fields(payload: CatalogueIn) -> dict:
    return {key: value for key, value in payload.dict(exclude_unset=True).items()}


def _invalid(error: ValidationError):
    return Status(422, {"detail": error.message_dict if hasattr(error, "error_dict") else error.messages})


def _upload_out(upload: Upload, result=None) -> dict:
    return {
        "id": str(upload.pk),
        "filename": upload.filename,
        "size": upload.size,
        "offset": upload.received,
        "complete": upload.asset_id is not None,
        "error": upload.error,
        "asset": _out(upload.asset) if upload.asset_id else None,
        "duplicate": result.duplicate if result is not None else None,
    }


@router.get("/assets", response={200: PageOut, 422: Error}, summary="Find assets: full text, filters, facets")
def list_assets(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    date_from: str = "",
    date_to: str = "",
    event: str = "",
    person: str = "",
    photographer: str = "",
    rights: str = "",
    orientation: str = "",
    sort: str = "uploaded",
    page: int = 1,
    per_page: int = 50,
):
    """Every filter may be repeated (``kind=photo&kind=video``): the values
    are alternatives, the filters combine. ``rights`` takes own, licensed,
    restricted or expired. ``facets`` counts, for each value of each filter,
    the assets there would be with that value added."""
    require(request, "archive.view_asset")
    selection = browse.Selection(request.GET)
    if selection.errors:
        return Status(422, {"detail": selection.errors})
    found = browse.find(request.user, selection, page=page, per_page=max(1, min(per_page, 200)))
    return {
        "total": found.count,
        "page": found.page.number,
        "items": [_out(a) for a in found.assets],
        "facets": {
            facet["name"]: [{k: item[k] for k in ("value", "label", "count")} for item in facet["items"]]
            for facet in found.facets
        },
    }


@router.post(
    "/assets",
    response={201: IngestedOut, 200: IngestedOut, 403: Error, 422: Error},
    summary="Upload one file (multipart); catalogue fields as form fields",
)
def upload_asset(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    caption: Form[str] = "",
    event: Form[str] = "",
    photographer: Form[str] = "",
    people: Form[str] = "",
    keywords: Form[str] = "",
):
    require(request, "archive.add_asset")
    fields = {
        k: v
        for k, v in (
            ("title", title),
            ("caption", caption),
            ("event", event),
            ("photographer", photographer),
            ("people", people),
            ("keywords", keywords),
        )
        if v
    }
    try:
        result = ingest_upload(file, user=request.user, catalogue=fields)
    except IngestError as error:
        return Status(422, {"detail": error.message})
    return Status(200 if result.duplicate else 201, {"duplicate": result.duplicate, "asset": _out(result.asset)})


@router.get("/assets/{int:asset_id}", response=AssetOut)
def get_asset(request: HttpRequest, asset_id: int):
    require(request, "archive.view_asset")
    return _out(_asset(request, asset_id))


@router.patch("/assets/{int:asset_id}", response={200: AssetOut, 403: Error, 422: Error}, summary="Edit the catalogue")
def edit_asset(request: HttpRequest, asset_id: int, payload: CatalogueIn):
    require(request, "archive.change_asset")
    asset = _asset(request, asset_id)
    try:
        catalogue.edit(asset, _fields(payload), user=request.user)
    except ValidationError as error:
        return _invalid(error)
    return _out(Asset.objects.get(pk=asset.pk))


@router.post("/assets/bulk-edit", response={200: dict, 403: Error, 422: Error}, summary="Catalogue many assets at once")
def bulk_edit(request: HttpRequest, payload: BulkEditIn):
    require(request, "archive.change_asset")
    assets = list(Asset.objects.visible_to(request.user).filter(pk__in=payload.ids))
    missing = sorted(set(payload.ids) - {a.pk for a in assets})
    if missing:
        return Status(422, {"detail": {"ids": [f"no such asset: {', '.join(map(str, missing))}"]}})
    try:
        count = catalogue.bulk_edit(assets, _fields(payload.fields), user=request.user)
    except ValidationError as error:
        return _invalid(error)
    return {"changed": count}


@router.get("/assets/{int:asset_id}/usages", response=list[UsageOut], summary="Where the asset is used")
def usages(request: HttpRequest, asset_id: int):
    require(request, "archive.view_asset")
    asset = _asset(request, asset_id)
    return [
        {"story_id": use.story_id, "title": use.story.title, "rights_override_reason": use.rights_override_reason}
        for use in asset.story_uses.select_related("story")
    ]


@router.post("/assets/uploads", response={201: UploadOut, 403: Error, 422: Error}, summary="Start a chunked upload")
def start_upload(request: HttpRequest, payload: UploadIn):
    require(request, "archive.add_asset")
    try:
        upload = uploads.start(
            user=request.user,
            filename=payload.filename,
            size=payload.size,
            catalogue=_fields(payload.catalogue) if payload.catalogue else {},
        )
    except uploads.UploadError as error:
        return Status(422, {"detail": error.message})
    except ValidationError as error:
        return _invalid(error)
    return Status(201, _upload_out(upload))


def _own_upload(request, upload_id) -> Upload:
    return get_object_or_404(Upload, pk=upload_id, user=request.user)


@router.get("/assets/uploads/{upload_id}", response=UploadOut, summary="Where a chunked upload stands (to resume)")
def upload_status(request: HttpRequest, upload_id: str):
    return _upload_out(_own_upload(request, upload_id))


@router.put(
    "/assets/uploads/{upload_id}",
    response={200: UploadOut, 201: UploadOut, 400: Error, 409: UploadOut, 422: Error},
    summary="Send the next chunk: raw bytes in the body, their position in the Upload-Offset header",
)
def upload_chunk(request: HttpRequest, upload_id: str):
    upload = _own_upload(request, upload_id)
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return Status(400, {"detail": "Upload-Offset and Content-Length headers are required (integers)."})
    try:
        uploads.append(upload, offset=offset, stream=request, length=length)
    except uploads.OffsetMismatch:
        upload.refresh_from_db()
        return Status(409, _upload_out(upload))
    except uploads.UploadError as error:
        return Status(error.status, {"detail": error.message})
    if upload.received < upload.size:
        return _upload_out(upload)
    try:
        result = uploads.finish(upload)
    except IngestError as error:
        return Status(422, {"detail": error.message})
    upload.refresh_from_db()
    return Status(201, _upload_out(upload, result))


@router.get("/events", response=list[EventOut])
def list_events(request: HttpRequest):
    require(request, "archive.view_event")
    events = Event.objects.annotate(count=Count("assets"))
    return [{**_event(e), "assets": e.count} for e in events]


def _event(event: Event) -> dict:
    return {f: getattr(event, f) for f in ("id", "name", "kind", "starts_on", "ends_on", "location", "description")}


@router.get("/events/{int:event_id}", response=EventDetailOut)
def get_event(request: HttpRequest, event_id: int):
    require(request, "archive.view_event")
    event = get_object_or_404(Event, pk=event_id)
    assets = Asset.objects.visible_to(request.user).filter(event=event)
    by_kind, by_photographer = browse.event_counts(assets)
    return {
        **_event(event),
        "assets": assets.count(),
        "by_kind": dict(by_kind),
        "by_photographer": {name: count for name, count in by_photographer if name},
    }


@router.post("/stories/{int:story_id}/assets", response={201: dict, 403: Error, 409: Error}, summary="Attach an asset")
def attach(request: HttpRequest, story_id: int, payload: AttachIn):
    from rongmei.stories.models import Story

    require(request, "stories.change_story")
    story = get_object_or_404(Story, pk=story_id)
    asset = _asset(request, payload.asset_id)
    try:
        link = actions.attach_to_story(story, asset, user=request.user, override_reason=payload.override_reason)
    except actions.RightsExpired as error:
        return Status(409, {"detail": error.message})
    return Status(201, {"story_id": story.pk, "asset_id": asset.pk, "id": link.pk})
