"""Platforms without a publishing API (视频号, 央视频, the newspaper, the
periodical, the TV programme), and any channel set to manual delivery:
the queue prepares an export package and waits for a person to publish
by hand and record the address and time (``actions.mark_published_manually``).

The export package (:func:`write_export_package`) is a zip with what a
person uploads by hand: the video, the cover, the text (title,
description, hashtags), the subtitles as SRT, and ``manifest.json`` with
the same facts and the delivery's idempotency key, so the publication
can be matched to its delivery afterwards."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import PurePosixPath

from django.utils import timezone

from rongmei.distribution.channels.base import Adapter, Context, ManualCheck

MANIFEST_VERSION = 1
COPY_CHUNK = 1024 * 1024  # files are streamed from storage in 1 MiB pieces, never read whole


class ManualAdapter(Adapter):
    code = "manual"
    label = "人工发布"
    give_up_after = dt.timedelta(days=30)

    def deliver(self, context: Context) -> ManualCheck:
        channel = context.channel
        return ManualCheck(
            f"“{channel.name}”没有发布接口：请下载发布包，在{channel.get_kind_display()}人工发布后，"
            "在此登记发布链接和时间。"
        )


ADAPTER = ManualAdapter()


# -- the export package


def export_filename(delivery) -> str:
    return f"发布包-{delivery.channel.name}-{delivery.pk}.zip"


def _asset(asset_id):
    from rongmei.archive.models import Asset

    if not asset_id:
        return None
    return Asset.objects.prefetch_related("renditions").filter(pk=asset_id).first()


def _copy(archive: zipfile.ZipFile, name: str, field) -> dict:
    """Stream one stored file into the zip, uncompressed (photos and video
    are compressed already); its size and SHA-256 for the manifest."""
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    digest, size = hashlib.sha256(), 0
    with field.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(COPY_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return {"file": name, "size": size, "sha256": digest.hexdigest()}


def _suffix(name: str, default: str) -> str:
    return PurePosixPath(name or "").suffix.lower() or default


def _text(payload: dict, hashtags: list[str]) -> str:
    from rongmei.core.text import html_to_text

    lines = []
    for label, value in (
        ("标题", payload.get("title")),
        ("引题", payload.get("kicker")),
        ("副题", payload.get("subtitle")),
        ("作者", payload.get("author")),
        ("简介", payload.get("summary")),
        ("话题", " ".join(hashtags)),
    ):
        if (value or "").strip():
            lines.append(f"{label}：{value.strip()}")
    body = (payload.get("body") or "").strip()
    if body:
        text = html_to_text(body) if "<" in body else body
        lines += ["", "正文：", text.strip()]
    return "\n".join(lines) + "\n"


def write_export_package(delivery, fileobj) -> dict:
    """Write the delivery's export package as a zip to ``fileobj`` (a file
    opened for binary writing): the video original, the cover (the chosen
    picture's original, else the video's poster frame), ``text.txt``,
    ``subtitles.srt`` when the version has subtitles, and ``manifest.json``.
    Returns the manifest."""
    payload = delivery.payload or {}
    data = payload.get("data") or {}
    hashtags = [str(tag) for tag in data.get("hashtags") or []]
    files = {}
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        video = _asset(payload.get("video"))
        if video is not None:
            files["video"] = _copy(archive, f"video{_suffix(video.original.name, '.mp4')}", video.original)
        cover = _asset(payload.get("cover"))
        if cover is not None:
            files["cover"] = _copy(archive, f"cover{_suffix(cover.original.name, '.jpg')}", cover.original)
        elif video is not None and video.rendition("poster"):
            poster = video.rendition("poster").file
            files["cover"] = _copy(archive, f"cover{_suffix(poster.name, '.jpg')}", poster)
        archive.writestr("text.txt", _text(payload, hashtags))
        srt = (data.get("srt") or "").strip()
        if srt:
            archive.writestr("subtitles.srt", srt + "\n")
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "delivery": delivery.pk,
            "idempotency_key": str(delivery.idempotency_key),
            "story": delivery.story_id,
            "channel": {"id": delivery.channel_id, "name": delivery.channel.name, "kind": delivery.channel.kind},
            "action": delivery.action,
            "title": payload.get("title") or "",
            "description": payload.get("summary") or "",
            "hashtags": hashtags,
            "text": "text.txt",
            "subtitles": "subtitles.srt" if srt else None,
            "video": files.get("video"),
            "cover": files.get("cover"),
            "created_at": timezone.now().isoformat(),
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest
