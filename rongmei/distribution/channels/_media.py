"""Archive files as the platforms take them: a picture (a photo, or a
video's frame) as a JPEG under the platform's size limit, and a video's
original read from disk piece by piece, never whole into memory."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageOps

from rongmei.distribution.channels.base import Permanent

# Formats every platform here takes as they are (Weibo: JPEG, GIF, PNG).
PASS_THROUGH = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
MAX_SIDE = 2000


@dataclass
class Picture:
    name: str
    data: bytes
    content_type: str


def _asset(asset_id):
    from rongmei.archive.models import Asset

    asset = Asset.objects.filter(pk=asset_id).prefetch_related("renditions").first()
    if asset is None:
        raise Permanent("稿件引用的素材已不在素材库中，请编辑稿件重新选择后再审核发布。")
    return asset


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _first_frame(asset) -> Image.Image:
    import av

    from rongmei.archive.ingest import local_original

    with local_original(asset) as path, av.open(str(path)) as container:
        for frame in container.decode(video=0):
            return frame.to_image()
    raise Permanent("无法从视频中取出封面画面，请为稿件选择一张封面图片。")


def _image(asset) -> Image.Image | bytes:
    """The asset's best picture: a ready rendition's bytes, or a decoded image."""
    if asset.kind == "photo":
        rendition = asset.rendition("web")
        if rendition is not None:
            return _read(rendition.file)
        from rongmei.archive.ingest import local_original

        with local_original(asset) as path, Image.open(path) as image:
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            return ImageOps.exif_transpose(image)
    if asset.kind == "video":
        rendition = asset.rendition("poster")
        if rendition is not None:
            return _read(rendition.file)
        return _first_frame(asset)
    raise Permanent(f"素材“{asset.original_name}”不是图片或视频，不能用作配图或封面。")


def _jpeg_under(image: Image.Image, max_bytes: int) -> bytes:
    image = image if image.mode in ("RGB", "L") else image.convert("RGB")
    while True:
        for quality in (85, 75, 65):
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality)
            if buffer.tell() < max_bytes:
                return buffer.getvalue()
        if max(image.size) < 200:
            raise Permanent("图片压缩后仍超过平台的大小限制。")
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4))


def picture(asset_id, *, max_bytes: int, name: str = "picture") -> Picture:
    """The asset as a picture under ``max_bytes``: a photo's web rendition
    (or its original, resized), a video's poster (or first frame); passed
    as it is when the platform takes its format and size, else re-encoded
    as JPEG."""
    asset = _asset(asset_id)
    source = _image(asset)
    if isinstance(source, bytes):
        if len(source) < max_bytes:
            with Image.open(io.BytesIO(source)) as probe:
                kind = PASS_THROUGH.get(probe.format or "")
            if kind:
                return Picture(f"{name}.{kind.split('/')[1].replace('jpeg', 'jpg')}", source, kind)
        with Image.open(io.BytesIO(source)) as decoded:
            decoded.load()
            source = decoded.copy()
    return Picture(f"{name}.jpg", _jpeg_under(source, max_bytes), "image/jpeg")


@dataclass
class VideoFile:
    path: str
    size: int
    name: str
    duration: float | None

    def open(self):
        return open(self.path, "rb")  # the caller closes it

    def read(self, offset: int, length: int) -> bytes:
        """One piece of the file (a chunk of an upload)."""
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            return handle.read(length)


@contextmanager
def video(asset_id) -> Iterator[VideoFile]:
    """The video's original on local disk (a streamed temporary copy when
    the archive is an object store)."""
    from rongmei.archive.ingest import local_original

    asset = _asset(asset_id)
    if asset.kind != "video":
        raise Permanent("稿件的视频素材不是视频文件，请编辑稿件重新选择。")
    with local_original(asset) as path:
        name = os.path.basename(asset.original_name or "video.mp4") or "video.mp4"
        yield VideoFile(str(path), os.path.getsize(path), name, asset.duration)
