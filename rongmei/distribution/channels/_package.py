"""The partner-media package (素材包) of a delivery, for the transports
that carry files (email, SFTP): built from the approved payload, never
from the story as it is now."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.utils import timezone


def package_name(delivery) -> str:
    """``<date>-<story id>-<idempotency key>.zip``: the same on every
    attempt (the date the delivery was created), so a retry finds or
    replaces the file of an earlier one instead of adding a second."""
    day = timezone.localdate(delivery.created_at)
    return f"{day:%Y%m%d}-{delivery.story_id}-{delivery.idempotency_key}.zip"


def payload_version(delivery):
    """An unsaved Version holding the payload, as the format functions expect."""
    from rongmei.versions.models import Version

    payload = delivery.payload or {}
    return Version(
        story_id=payload.get("story") or delivery.story_id,
        channel=delivery.channel,
        title=payload.get("title") or "",
        kicker=payload.get("kicker") or "",
        subtitle=payload.get("subtitle") or "",
        author=payload.get("author") or "",
        summary=payload.get("summary") or "",
        body=payload.get("body") or "",
        cover_id=payload.get("cover"),
        video_id=payload.get("video"),
        data=payload.get("data") or {},
    )


@contextmanager
def partner_package(delivery) -> Iterator[tuple[IO[bytes], int]]:
    """The zip in a temporary file, rewound, and its size in bytes."""
    from rongmei.versions.formats import partner

    with tempfile.TemporaryFile() as fileobj:
        partner.write_package(payload_version(delivery), fileobj)
        size = fileobj.seek(0, 2)
        fileobj.seek(0)
        yield fileobj, size
