"""Channel versions through the API: generate, list, get, update, confirm a
translation, preview. Versions are read from the story's latest revision,
the package the three review levels approve."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from rongmei.core.apitools import Error, require
from rongmei.distribution.models import Channel
from rongmei.stories.actions import StoryError
from rongmei.stories.models import Story
from rongmei.versions import views

router = Router(tags=["versions"])

VIEW = "stories.view_story"
CHANGE = "stories.change_story"


class GenerateIn(Schema):
    channel_ids: list[int] | None = Field(
        None, description="the channels to generate for; all the center's active channels when left out"
    )
    overwrite_edited: bool = Field(False, description="also regenerate versions an editor has changed")


class VersionUpdate(Schema):
    title: str | None = Field(None, max_length=200)
    kicker: str | None = Field(None, max_length=200)
    subtitle: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=100)
    summary: str | None = None
    body: str | None = Field(None, description="HTML; sanitised on save")
    cover_id: int | None = Field(None, description="an asset attached to the story (null removes the cover)")
    video_id: int | None = Field(None, description="a video asset attached to the story (null removes it)")
    data: dict | None = Field(None, description="the format's own fields (hashtags, subtitles, segments…)")


class ProblemOut(Schema):
    field: str
    message: str


class CounterOut(Schema):
    field: str
    count: int
    limit: int
    over: bool


class VersionOut(Schema):
    id: int | None = Field(description="null for a version made since approval, until the review approves it")
    channel_id: int
    channel: str
    channel_kind: str
    language: str
    format: str
    title: str
    kicker: str
    subtitle: str
    author: str
    summary: str
    body: str
    cover_id: int | None
    video_id: int | None
    data: dict
    edited: bool
    updated_at: datetime | None
    problems: list[ProblemOut]
    counters: list[CounterOut]
    preview_url: str


def _out(version) -> dict:
    from rongmei.versions.formats import format_for

    fmt = format_for(version.channel)
    return {
        "id": version.pk,
        "channel_id": version.channel_id,
        "channel": version.channel.name,
        "channel_kind": version.channel.kind,
        "language": version.channel.language,
        "format": fmt.CODE,
        "title": version.title,
        "kicker": version.kicker,
        "subtitle": version.subtitle,
        "author": version.author,
        "summary": version.summary,
        "body": version.body,
        "cover_id": version.cover_id,
        "video_id": version.video_id,
        "data": version.data if isinstance(version.data, dict) else {},
        "edited": version.edited,
        "updated_at": version.updated_at,
        "problems": [{"field": p.field, "message": p.message} for p in fmt.validate(version)],
        "counters": [
            {"field": c.field, "count": c.count, "limit": c.limit, "over": c.over} for c in fmt.counters(version)
        ],
        "preview_url": f"/api/v1/stories/{version.story_id}/versions/{version.pk}/preview" if version.pk else "",
    }


def _call(fn, *args, **kwargs):
    """Run an action; turn its refusals into answers with one clear sentence."""
    from rongmei.versions.actions import VersionError

    try:
        return fn(*args, **kwargs)
    except (StoryError, VersionError) as error:
        return Status(error.status, {"detail": error.message})
    except PermissionDenied as error:
        return Status(403, {"detail": str(error) or _("You may not change this story.")})
    except ValidationError as error:
        return Status(422, {"detail": error.message_dict if hasattr(error, "error_dict") else error.messages})


def _story(story_id: int) -> Story:
    return get_object_or_404(Story, pk=story_id)


def _locked(story: Story, user):
    if story.locked and story.locked_by_id != user.pk:
        return Status(409, {"detail": _("The story is locked by %(name)s.") % {"name": story.locked_by}})
    return None


@router.post(
    "/stories/{story_id}/versions/generate",
    response={200: list[VersionOut], 403: Error, 404: Error, 409: Error, 422: Error},
    summary="Generate the story's channel versions",
)
def generate(request: HttpRequest, story_id: int, payload: GenerateIn | None = None):
    from rongmei.versions import actions

    require(request, CHANGE)
    story = _story(story_id)
    payload = payload or GenerateIn()
    refused = _locked(story, request.user)
    if refused:
        return refused
    channels = None
    if payload.channel_ids is not None:
        channels = list(Channel.objects.filter(pk__in=payload.channel_ids, is_active=True))
        missing = sorted(set(payload.channel_ids) - {c.pk for c in channels})
        if missing:
            return Status(
                422,
                {"detail": _("No active channel has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))}},
            )
    result = _call(
        actions.generate_versions,
        story,
        user=request.user,
        channels=channels,
        overwrite_edited=payload.overwrite_edited,
    )
    if isinstance(result, Status):
        return result
    return [_out(version) for version in views.story_versions(_story(story_id))]


@router.get("/stories/{story_id}/versions", response=list[VersionOut], summary="List the story's versions")
def list_versions(request: HttpRequest, story_id: int):
    require(request, VIEW)
    return [_out(version) for version in views.story_versions(_story(story_id))]


@router.get(
    "/stories/{story_id}/versions/{version_id}",
    response={200: VersionOut, 404: Error},
    summary="One version, with its problems and counters",
)
def get_version(request: HttpRequest, story_id: int, version_id: int):
    require(request, VIEW)
    return _out(views.find_version(_story(story_id), version_id))


def _assets(story, payload: VersionUpdate, fields: dict):
    """Cover and video are chosen among the story's attached assets."""
    attached = {link.asset_id: link.asset for link in views.latest(story).attached_assets.all()}
    for key, name in (("cover_id", "cover"), ("video_id", "video")):
        if key not in fields:
            continue
        asset_id = fields.pop(key)
        if asset_id is None:
            fields[name] = None
            continue
        asset = attached.get(asset_id)
        if asset is None:
            return Status(
                422,
                {
                    "detail": {
                        key: [_("Asset %(id)s is not attached to the story: attach it first.") % {"id": asset_id}]
                    }
                },
            )
        if name == "video" and asset.kind != "video":
            return Status(422, {"detail": {key: [_("Asset %(id)s is not a video.") % {"id": asset_id}]}})
        if name == "cover" and asset.kind != "photo":
            return Status(422, {"detail": {key: [_("Asset %(id)s is not a photo.") % {"id": asset_id}]}})
        fields[name] = asset
    return None


@router.put(
    "/stories/{story_id}/versions/{version_id}",
    response={200: VersionOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="Edit a version (a new revision of the story; after an approval, the review starts again)",
)
def update_version(request: HttpRequest, story_id: int, version_id: int, payload: VersionUpdate):
    from rongmei.versions import actions

    require(request, CHANGE)
    story = _story(story_id)
    version = views.find_version(story, version_id)
    refused = _locked(story, request.user)
    if refused:
        return refused
    fields = payload.dict(exclude_unset=True)
    if not fields:
        return Status(422, {"detail": _("Nothing to change: send at least one field.")})
    for key in ("title", "kicker", "subtitle", "author", "summary", "body"):
        if key in fields and fields[key] is None:
            return Status(422, {"detail": {key: [_("This field cannot be null; send an empty string to clear it.")]}})
    if "data" in fields and fields["data"] is None:
        fields["data"] = {}
    refused = _assets(story, payload, fields)
    if refused:
        return refused
    result = _call(actions.update_version, version, fields, user=request.user)
    if isinstance(result, Status):
        return result
    return _out(views.version_for_channel(_story(story_id), version.channel_id))


@router.post(
    "/stories/{story_id}/versions/{version_id}/confirm-translation",
    response={200: VersionOut, 400: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="Confirm the English translation (it stops being a machine translation)",
)
def confirm_translation(request: HttpRequest, story_id: int, version_id: int):
    from rongmei.versions import actions

    require(request, CHANGE)
    story = _story(story_id)
    version = views.find_version(story, version_id)
    refused = _locked(story, request.user)
    if refused:
        return refused
    if version.channel.language != "en":
        return Status(422, {"detail": _("Only an English version has a translation to confirm.")})
    result = _call(actions.confirm_translation, version, user=request.user)
    if isinstance(result, Status):
        return result
    return _out(views.version_for_channel(_story(story_id), version.channel_id))


@router.get(
    "/stories/{story_id}/versions/{version_id}/preview",
    response={200: str, 404: Error},
    summary="The version as its reader sees it (an HTML page)",
    openapi_extra={
        "responses": {200: {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}
    },
)
def preview(request: HttpRequest, story_id: int, version_id: int):
    require(request, VIEW)
    version = views.find_version(_story(story_id), version_id)
    return HttpResponse(views.render_preview(version, request), content_type="text/html; charset=utf-8")


@router.get(
    "/stories/{story_id}/versions/{version_id}/package.zip",
    response={200: bytes, 404: Error, 409: Error},
    summary="The partner-media package (素材包): text, originals and a manifest, as a zip",
    openapi_extra={"responses": {200: {"description": "zip", "content": {"application/zip": {}}}}},
)
def partner_package(request: HttpRequest, story_id: int, version_id: int):
    """Only for a version of a partner channel without problems (every
    original credited, rights allowing). The zip is written to a temporary
    file, each original streamed from storage, and sent from there."""
    import tempfile

    from django.http import FileResponse

    from rongmei.core import audit
    from rongmei.versions.formats import format_for, partner

    require(request, VIEW)
    version = views.find_version(_story(story_id), version_id)
    if format_for(version.channel) is not partner:
        return Status(404, {"detail": _("This version is not a partner-media package.")})
    problems = partner.validate(version)
    if problems:
        return Status(409, {"detail": "；".join(problem.message for problem in problems)})
    spool = tempfile.TemporaryFile(prefix="rongmei-package-")
    partner.write_package(version, spool)
    spool.seek(0)
    audit.record(
        "versions.partner_package.download", version.story, actor=request.user, data={"channel": version.channel_id}
    )
    return FileResponse(
        spool, as_attachment=True, filename=f"story-{story_id}-package.zip", content_type="application/zip"
    )


class SuggestIn(Schema):
    kind: Literal["headlines", "rewrite", "translation"]
    limit: int = Field(120, ge=10, le=2000, description="rewrite: at most this many characters")


class SuggestionOut(Schema):
    kind: str
    options: list[str]
    source: str = Field(description="llm: from the configured service; offline: from the platform's own rules")
    notice: str = Field(description="why the offline rules answered, when a service is configured but failed")


@router.post(
    "/stories/{story_id}/versions/{version_id}/suggest",
    response={200: SuggestionOut, 404: Error},
    summary="Suggestions for a version: headline options, a rewrite, an English translation",
)
def suggest(request: HttpRequest, story_id: int, version_id: int, payload: SuggestIn):
    """Suggestions only: nothing is saved; an editor copies what they accept
    into the version. With ``RONGMEI_LLM_URL`` they come from that
    OpenAI-compatible service; without it, or when it times out or answers
    garbage, from the offline rules, with a notice saying so."""
    from rongmei.versions import generation

    require(request, CHANGE)
    story = _story(story_id)
    version = views.find_version(story, version_id)
    suggestion = generation.suggest_for(story, version, payload.kind, limit=payload.limit)
    return {
        "kind": suggestion.kind,
        "options": suggestion.options,
        "source": suggestion.source,
        "notice": str(suggestion.notice),
    }
