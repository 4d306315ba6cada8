"""Partner-media package (素材包) for central and municipal media: the
text, the chosen originals with their credits, written as a zip with a
manifest (:func:`write_package`).

``body`` is the plain text as partners reprint it. ``data``: ``originals``,
a list of ``{"asset": id, "credit": str}`` (the originals chosen, in order).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import PurePosixPath

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem
from rongmei.versions.formats._package import caption, source

CODE = "partner"
LABEL = gettext_lazy("Partner-media package")
PREVIEW_TEMPLATE = "versions/preview/partner.html"

TITLE_MAX = 64
ORIGINALS_MAX = 50
MANIFEST_VERSION = 1
COPY_CHUNK = 1024 * 1024  # originals are streamed from storage in 1 MiB pieces


def generate(story, channel) -> dict:
    """The story as plain text, every attached photo and video that may
    leave the center (rights not expired, not restricted) as an original,
    credited to its photographer, else the story's photographers, else the
    center itself (as 供图 of the center)."""
    package = source(story)
    fallback = package.photographers or _center_credit(channel)
    may_leave = [a for a in package.photos + package.videos if not a.rights_expired and a.security != "restricted"]
    originals = may_leave[:ORIGINALS_MAX]
    lines = [line for line in (package.kicker, package.title, package.subtitle) if line]
    return {
        "title": package.title,
        "kicker": package.kicker,
        "subtitle": package.subtitle,
        "author": " ".join(package.reporters),
        "summary": package.summary_within(200),
        "body": "\n".join([*lines, "", *package.paragraphs]).strip(),
        "data": {
            "originals": [
                {"asset": asset.pk, "credit": (asset.photographer or fallback or "").strip()} for asset in originals
            ]
        },
    }


def _center_credit(channel) -> str:
    """The center's own credit for its photos, from the channel's organisation."""
    organisation = channel.organisation
    return (organisation.short_name or organisation.name or "").strip()


def _assets(version) -> list[tuple[dict, object]]:
    from rongmei.archive.models import Asset

    items = (version.data or {}).get("originals") or []
    found = Asset.objects.in_bulk([item.get("asset") for item in items if item.get("asset")])
    return [(item, found.get(item.get("asset"))) for item in items]


def counters(version) -> list[Counter]:
    """Title in characters, the number of originals."""
    return [
        Counter("title", rules.length(version.title), TITLE_MAX),
        Counter("originals", len((version.data or {}).get("originals") or []), ORIGINALS_MAX),
    ]


def validate(version) -> list[Problem]:
    """Text, credits for every original, and no original that may not leave the center."""
    problems = []
    if not (version.title or "").strip():
        problems.append(Problem("title", _("The package has no title.")))
    if not (version.body or "").strip():
        problems.append(Problem("body", _("The package has no text.")))
    for counter in counters(version):
        if counter.over:
            problems.append(
                Problem(
                    counter.field,
                    _("The package's %(field)s count is %(count)d; the limit is %(limit)d.")
                    % {"field": counter.field, "count": counter.count, "limit": counter.limit},
                )
            )
    for number, (item, asset) in enumerate(_assets(version), start=1):
        if asset is None:
            problems.append(Problem("originals", _("Original %(number)d no longer exists.") % {"number": number}))
            continue
        if not (item.get("credit") or "").strip():
            problems.append(Problem("originals", _("Original %(number)d has no credit (署名).") % {"number": number}))
        if asset.rights_expired:
            problems.append(
                Problem(
                    "originals",
                    _("The usage rights of original %(number)d (%(asset)s) have expired.")
                    % {"number": number, "asset": asset},
                )
            )
        if asset.security == "restricted":
            problems.append(
                Problem(
                    "originals",
                    _("Original %(number)d (%(asset)s) is for named staff only and cannot be sent out.")
                    % {"number": number, "asset": asset},
                )
            )
    return problems


def _name(number: int, asset) -> str:
    suffix = PurePosixPath(asset.original.name).suffix.lower()
    return f"originals/{number:02d}-{asset.pk}{suffix}"


def write_package(version, fileobj) -> dict:
    """Write the package as a zip to ``fileobj`` (a file opened for binary
    writing, or a response): ``manifest.json``, ``text.txt`` and the
    originals, each streamed from storage, never read whole into memory.
    Returns the manifest."""
    entries = []
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for number, (item, asset) in enumerate(_assets(version), start=1):
            if asset is None:
                continue
            name = _name(number, asset)
            info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED  # photos and video are compressed already
            with asset.original.open("rb") as source_file, archive.open(info, "w", force_zip64=True) as target:
                shutil.copyfileobj(source_file, target, COPY_CHUNK)
            entries.append(
                {
                    "file": name,
                    "kind": asset.kind,
                    "sha256": asset.sha256,
                    "size": asset.original.size,
                    "credit": (item.get("credit") or "").strip(),
                    "caption": caption(asset),
                    "rights": asset.rights,
                    "rights_holder": asset.rights_holder,
                }
            )
        archive.writestr("text.txt", (version.body or "").strip() + "\n")
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "story": version.story_id,
            "channel": str(version.channel) if version.channel_id else "",
            "title": version.title,
            "kicker": version.kicker,
            "subtitle": version.subtitle,
            "author": version.author,
            "summary": version.summary,
            "text": "text.txt",
            "originals": entries,
            "created_at": timezone.now().isoformat(),
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest
