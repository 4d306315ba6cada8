"""State changes of channel versions. Each runs in one transaction and is
audited; the admin and the API call the same functions.

Versions are children of the story in its revisions: every change here is
a new revision of the story package (as attaching an asset is), and a
change after any approval sends the package back to review. For a story
already approved, the change lives in the new revision until the review
approves it; what was approved stays in the published rows.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rongmei.archive.models import Asset
from rongmei.core import audit
from rongmei.versions import formats
from rongmei.versions.formats import Problem
from rongmei.versions.formats._package import organisation_id, source
from rongmei.versions.models import Version

EDITABLE_FIELDS = ("title", "kicker", "subtitle", "author", "summary", "body", "cover", "video", "data")
_BLANK = {"title": "", "kicker": "", "subtitle": "", "author": "", "summary": "", "body": "", "cover": None,
          "video": None, "data": {}}  # fmt: skip


def package(story):
    """The story as its latest revision holds it (its versions included):
    for an approved story with changes under review, the revision; else the row."""
    if story.live and story.has_unpublished_changes and story.latest_revision_id:
        return story.get_latest_revision_as_object()
    return story


def channels_of(story):
    """The active channels of the story's organisation that have a format
    and to which the story can go (a short video needs a video)."""
    from rongmei.distribution.models import Channel

    channels = Channel.objects.filter(is_active=True).order_by("sort_order", "name")
    organisation = organisation_id(story)
    if organisation is not None:
        channels = channels.filter(organisation_id=organisation)
    chosen = []
    for channel in channels:
        if not formats.code_for(channel):
            continue
        applies = getattr(formats.format_for(channel), "applies", None)
        if applies is None or applies(story):
            chosen.append(channel)
    return chosen


def _locked_package(story, user):
    from rongmei.stories.actions import Conflict
    from rongmei.stories.models import Story

    row = Story.objects.select_for_update().get(pk=story.pk)
    if row.locked and row.locked_by_id != user.pk:
        raise Conflict(_("The story is locked by %(name)s.") % {"name": row.locked_by})
    return package(row)


def _save(obj, versions: list[Version], *, user) -> None:
    from rongmei.stories.actions import restart_review_if_approved, save_draft

    obj.versions = versions
    save_draft(obj)
    obj.save_revision(user=user, log_action=True)
    restart_review_if_approved(obj, user=user)


@transaction.atomic
def generate_versions(story, *, user, channels=None, overwrite_edited=False) -> list[Version]:
    """Generate the version of each channel (by default every active
    channel of the story's organisation) from the story package. A version
    a person edited is kept unless ``overwrite_edited``."""
    obj = _locked_package(story, user)
    channels = channels_of(obj) if channels is None else [c for c in channels if formats.code_for(c)]
    current = list(obj.versions.all())
    by_channel = {version.channel_id: version for version in current}
    made, kept = [], []
    for channel in channels:
        version = by_channel.get(channel.pk)
        if version is not None and version.edited and not overwrite_edited:
            kept.append(version)
            continue
        values = formats.format_for(channel).generate(obj, channel)
        if version is None:
            version = Version(story=obj, channel=channel)
            current.append(version)
        for name, value in {**_BLANK, **values}.items():
            setattr(version, name, value)
        version.edited = False
        made.append(version)
    _save(obj, current, user=user)
    audit.record(
        "versions.generated",
        obj,
        actor=user,
        data={
            "channels": [version.channel_id for version in made],
            "kept_edited": [version.channel_id for version in kept],
        },
    )
    wanted = {channel.pk for channel in channels}
    return [version for version in current if version.channel_id in wanted]


class VersionError(Exception):
    """A refused change of a version, in one sentence; ``status`` is the HTTP answer."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _find(obj, version) -> tuple[list[Version], Version]:
    versions = list(obj.versions.all())
    for candidate in versions:
        if candidate.channel_id == version.channel_id:
            return versions, candidate
    raise VersionError(_("The story has no version for this channel: generate it first."))


def _asset(value, story, kind: str):
    if value in (None, ""):
        return None
    asset = value if isinstance(value, Asset) else Asset.objects.filter(pk=value).first()
    attached = {link.asset_id for link in story.attached_assets.all()}
    if asset is None or asset.pk not in attached:
        raise VersionError(_("Choose an asset attached to the story."))
    if asset.kind != kind:
        raise VersionError(
            _("The cover must be a photo.") if kind == "photo" else _("The video must be a video asset.")
        )
    return asset


@transaction.atomic
def update_version(version, fields: dict, *, user) -> Version:
    """Change a version as an editor: it is marked edited (generating again
    keeps it), saved in a new revision, and sends an approved package back to
    review. ``data`` is merged into the version's data."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise VersionError(_("Unknown field: %(name)s") % {"name": ", ".join(sorted(unknown))})
    obj = _locked_package(version.story, user)
    versions, target = _find(obj, version)
    module = formats.format_for(target.channel)
    before_state = (target.data or {}).get("translation_state")
    for name, value in fields.items():
        if name == "data":
            if not isinstance(value, dict):
                raise VersionError(_("Format fields must be an object."))
            target.data = {**(target.data or {}), **value}
        elif name == "cover":
            target.cover = _asset(value, obj, "photo")
        elif name == "video":
            target.video = _asset(value, obj, "video")
        else:
            setattr(target, name, "" if value is None else str(value))
    if (
        module.CODE == "website_en"
        and before_state in (None, "empty")
        and "translation_state" not in (fields.get("data") or {})
        and any(fields.get(name) for name in ("title", "body"))
    ):
        target.data = {**target.data, "translation_state": "confirmed"}  # the editor wrote it
    normalise = getattr(module, "normalise", None)
    if normalise:
        normalise(target)
    target.edited = True
    _save(obj, versions, user=user)
    audit.record(
        "versions.version.edited",
        obj,
        actor=user,
        data={"channel": target.channel_id, "fields": sorted(fields)},
    )
    return target


@transaction.atomic
def fill_translation(version, *, title: str, summary: str, body: str, user) -> Version:
    """Put a machine translation in the English slot: marked "machine
    translation, unconfirmed" until an editor confirms it."""
    fields = {"title": title, "summary": summary, "body": body, "data": {"translation_state": "machine"}}
    return update_version(version, fields, user=user)


@transaction.atomic
def confirm_translation(version, *, user) -> Version:
    """An editor confirms the English translation."""
    if formats.code_for(version.channel) != "website_en":
        raise VersionError(_("Only the English website version has a translation to confirm."))
    obj = _locked_package(version.story, user)
    versions, target = _find(obj, version)
    if not (target.title or "").strip() or not (target.body or "").strip():
        raise VersionError(_("There is no translation to confirm: write the English title and text first."))
    target.data = {**(target.data or {}), "translation_state": "confirmed"}
    target.edited = True
    _save(obj, versions, user=user)
    audit.record("versions.translation.confirmed", obj, actor=user, data={"channel": target.channel_id})
    return target


def problems(story) -> dict:
    """``{channel: [Problem, …]}`` for each version of the story package
    (on an active channel) that cannot go out as it is."""
    result = {}
    for version in package(story).versions.all():
        channel = version.channel
        if not channel.is_active:
            continue
        module = formats.format_for(channel)
        found = module.validate(version) if module else []
        if found:
            result[channel] = found
    return result


def counters(version) -> list:
    """The version's limited fields, counted its channel's way."""
    module = formats.format_for(version.channel)
    return module.counters(version) if module else []


def submission_reasons(story) -> list[str]:
    """The submission check registered with the stories app."""
    return [problem.message for found in problems(story).values() for problem in found]


__all__ = [
    "Problem",
    "VersionError",
    "confirm_translation",
    "counters",
    "fill_translation",
    "generate_versions",
    "package",
    "problems",
    "source",
    "update_version",
]
