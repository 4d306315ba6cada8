"""Renditions, made by the background worker from an asset's original.

Photos: a thumbnail (360 px) and a web-size image (2000 px), orientation
applied, JPEG. JPEGs are decoded at the smallest scale that still covers
the target (``Image.draft``), which is what keeps ingest fast.

Video: a poster frame, a strip of keyframe thumbnails and an H.264/AAC MP4
proxy, made in a child process by :mod:`rongmei.archive.transcode`.

The original is only ever read."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from django.core.files import File
from django.db import transaction
from PIL import Image, ImageOps

THUMBNAIL_PX = 360
# Web size: full width on a phone or a retina screen, and what WeChat and the website take.
WEB_PX = 2000
# A child transcoding a video gets at least 10 minutes, and 20 s a second of video.
TRANSCODE_MIN_TIMEOUT = 600
TRANSCODE_SECONDS_PER_SECOND = 20


def _jpeg(image: Image.Image, path: Path, quality: int) -> str:
    # Written to a file, not to a BytesIO: Pillow releases the GIL while it
    # encodes into a file, so the worker's other thread keeps working.
    (image if image.mode in ("RGB", "YCbCr", "L") else image.convert("RGB")).save(path, "JPEG", quality=quality)
    return str(path)


def photo_renditions(source, workdir) -> dict[str, tuple[str, int, int, str]]:
    """``{kind: (file path, width, height, extension)}`` for a photo read
    from ``source``, written into ``workdir``.

    A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) that still covers
    the web size, and in YCbCr, the colour space JPEG stores and writes: no
    conversion to RGB and back. A 12-megapixel photo decoded at half scale
    (2000 px) is already web size and is not resized at all. The thumbnail is
    reduced from the web image in one step (a box reduction to just above
    360 px, then bilinear): less exact than Pillow's default two steps, and
    half the cost."""
    with Image.open(source) as image:
        scale = min(1.0, WEB_PX / max(image.size))
        if image.format == "JPEG" and image.mode == "RGB":
            image.draft("YCbCr", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        image.thumbnail((WEB_PX, WEB_PX), Image.Resampling.BILINEAR, reducing_gap=2.0)
        ImageOps.exif_transpose(image, in_place=True)  # the decoded copy is ours: no second copy
        web = image
    ratio = min(1.0, THUMBNAIL_PX / max(web.size))
    size = (max(1, round(web.width * ratio)), max(1, round(web.height * ratio)))
    thumbnail = web.resize(size, Image.Resampling.BILINEAR, reducing_gap=1.0) if ratio < 1 else web
    workdir = Path(workdir)
    return {
        "web": (_jpeg(web, workdir / "web.jpg", 82), web.width, web.height, "jpg"),
        "thumbnail": (_jpeg(thumbnail, workdir / "thumbnail.jpg", 78), thumbnail.width, thumbnail.height, "jpg"),
    }


def video_renditions(path, duration: float | None, workdir) -> dict[str, tuple[str, int, int, str]]:
    """``{kind: (file path, width, height, extension)}`` for a video: made by
    ``python -m rongmei.archive.transcode`` in a child process, so decoding
    (4K frames, FFmpeg's buffers) never grows the worker, a crash in a codec
    cannot take the worker down, and a video that takes too long is stopped."""
    timeout = max(TRANSCODE_MIN_TIMEOUT, (duration or 0) * TRANSCODE_SECONDS_PER_SECOND)
    command = [sys.executable, "-m", "rongmei.archive.transcode", str(path), str(workdir)]
    if duration:
        command += ["--duration", str(duration)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"transcoding took longer than {timeout:.0f} s and was stopped") from None
    if done.returncode != 0:
        raise RuntimeError((done.stderr.strip().splitlines() or ["transcoding failed"])[-1][:500])
    made = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        kind: (str(Path(workdir) / name), width, height, Path(name).suffix.lstrip("."))
        for kind, (name, width, height) in made.items()
    }


class _Made(File):
    """A rendition the worker just wrote. It has a temporary file path, so a
    local storage moves it into place (a rename) instead of copying it."""

    def temporary_file_path(self):
        return self.name


def store(asset, made: dict[str, tuple[str, int, int, str]]) -> None:
    """Store the renditions in ``made`` (as the functions above return them),
    replacing any earlier ones of the same kinds, in one transaction."""
    from rongmei.archive.models import Asset, Rendition, Status

    storage = asset.original.storage
    rows = []
    for kind, (path, width, height, extension) in made.items():
        name = f"renditions/{asset.sha256[:2]}/{asset.sha256}.{kind}.{extension}"
        size = os.path.getsize(path)
        with _Made(open(path, "rb"), name=path) as handle:
            stored = storage.save(name, handle)
        rows.append(Rendition(asset=asset, kind=kind, file=stored, width=width, height=height, size=size))
    with transaction.atomic():
        for old in Rendition.objects.filter(asset=asset, kind__in=made):
            old.file.delete(save=False)
            old.delete()
        Rendition.objects.bulk_create(rows)
        Asset.objects.filter(pk=asset.pk).update(status=Status.READY, processing_error="")
