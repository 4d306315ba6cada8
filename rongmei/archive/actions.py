"""State changes of the archive that are not cataloguing (see catalogue.py)
or ingest (see ingest.py): renditions, attaching to stories, verifying."""

import hashlib
import logging
import tempfile

from django.db import transaction
from django.utils.translation import gettext as _

from rongmei.archive import renditions
from rongmei.archive.ingest import local_original
from rongmei.archive.models import Asset, Kind, Status
from rongmei.core import audit

logger = logging.getLogger(__name__)


def build_renditions(asset: Asset) -> Asset:
    """Make the asset's renditions; a failure is recorded on the asset
    (status "failed" with the reason), never on its original."""
    try:
        with local_original(asset) as path, tempfile.TemporaryDirectory(prefix="rongmei-renditions-") as workdir:
            if asset.kind == Kind.PHOTO:
                made = renditions.photo_renditions(path, workdir)
            elif asset.kind == Kind.VIDEO:
                made = renditions.video_renditions(path, asset.duration, workdir)
            else:
                made = {}
            renditions.store(asset, made)
    except Exception as error:
        logger.exception("renditions of asset %s failed", asset.pk)
        Asset.objects.filter(pk=asset.pk).update(status=Status.FAILED, processing_error=str(error)[:1000])
        asset.status, asset.processing_error = Status.FAILED, str(error)[:1000]
        return asset
    asset.status, asset.processing_error = Status.READY, ""
    return asset


def verify(assets, progress=None):
    """Re-hash stored originals. Yields ``(asset, problem)`` for each that is
    missing or whose content no longer matches its SHA-256."""
    for asset in assets:
        storage = asset.original.storage
        problem = None
        if not storage.exists(asset.original.name):
            problem = _("missing")
        else:
            with storage.open(asset.original.name, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            if digest != asset.sha256:
                problem = _("corrupt: the content no longer matches its SHA-256")
        if progress:
            progress(asset)
        if problem:
            yield asset, problem


class RightsExpired(Exception):
    def __init__(self, asset):
        self.asset = asset
        self.message = _(
            "The usage rights of “%(asset)s” expired on %(date)s. Give a reason to use it anyway; it will be audited."
        ) % {"asset": asset, "date": asset.rights_expire_on}
        super().__init__(self.message)


@transaction.atomic
def attach_to_story(story, asset: Asset, *, user, override_reason: str = ""):
    """Attach an asset to a story (a new revision of the story)."""
    from rongmei.archive.models import StoryAsset
    from rongmei.stories.actions import Conflict, restart_review_if_approved, save_draft
    from rongmei.stories.models import Story

    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.locked and story.locked_by_id != user.pk:
        raise Conflict(_("The story is locked by %(name)s.") % {"name": story.locked_by})
    reason = (override_reason or "").strip()
    if asset.rights_expired and not reason:
        raise RightsExpired(asset)
    link = StoryAsset(story=story, asset=asset, rights_override_reason=reason if asset.rights_expired else "")
    story.attached_assets.add(link)
    save_draft(story)
    story.save_revision(user=user, log_action=True)
    restart_review_if_approved(story, user=user)
    audit.record(
        "archive.asset.attach",
        asset,
        actor=user,
        data={"story": story.pk, **({"rights_override": reason} if asset.rights_expired else {})},
    )
    return link
