"""Renditions, made by the background worker from an asset's original.

Photos: a thumbnail (360 px) and a web-size image (1600 px), orientation
applied, JPEG. JPEGs are decoded at the smallest scale that still covers
the target (``Image.draft``), which is what keeps ingest fast.

Video: a poster frame (at a tenth of the duration, at most 10 s in), a strip
of keyframe thumbnails (up to 8, side by side), and an H.264/AAC MP4 proxy
at most 720 px high, written frame by frame with PyAV: memory stays flat
whatever the length of the video.

The original is only ever read."""

import io
import math
import os
import tempfile
from fractions import Fraction

from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

THUMBNAIL_PX = 360
WEB_PX = 1600
STRIP_FRAMES = 8
STRIP_HEIGHT = 90
PROXY_MAX_HEIGHT = 720
PROXY_CRF = "26"


def _jpeg(image: Image.Image, quality: int = 82) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def photo_renditions(source) -> dict[str, tuple[bytes, int, int, str]]:
    """``{kind: (data, width, height, extension)}`` for a photo read from ``source``."""
    with Image.open(source) as image:
        scale = min(1.0, WEB_PX / max(image.size))
        # Ask the JPEG decoder for the smallest scale (1/2, 1/4, 1/8) that still covers the web size.
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        image.thumbnail((WEB_PX, WEB_PX), Image.Resampling.BILINEAR, reducing_gap=2.0)
        web = ImageOps.exif_transpose(image)
    thumbnail = web.copy()
    thumbnail.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return {
        "web": (_jpeg(web), web.width, web.height, "jpg"),
        "thumbnail": (_jpeg(thumbnail, 78), thumbnail.width, thumbnail.height, "jpg"),
    }


def _fit(image: Image.Image, box: int) -> Image.Image:
    image = image.copy()
    image.thumbnail((box, box), Image.Resampling.BILINEAR)
    return image


def video_stills(path, duration: float | None) -> dict[str, tuple[bytes, int, int, str]]:
    """The poster frame and the keyframe strip of a video."""
    import av

    results = {}
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.skip_frame = "NONKEY"
        keyframes = []
        total = duration or 0
        targets = [total * (i + 0.5) / STRIP_FRAMES for i in range(STRIP_FRAMES)] if total else []
        for target in targets or [0]:
            if stream.time_base and target:
                container.seek(int(target / stream.time_base), stream=stream, backward=True, any_frame=False)
            for frame in container.decode(stream):
                keyframes.append(frame.to_image())
                break
        if not keyframes:
            container.seek(0)
            for frame in container.decode(stream):
                keyframes.append(frame.to_image())
                break
    poster_index = min(len(keyframes) - 1, max(0, round(len(keyframes) * 0.1)))
    poster = _fit(keyframes[poster_index], WEB_PX)
    results["poster"] = (_jpeg(poster), poster.width, poster.height, "jpg")
    thumbs = [ImageOps.contain(frame, (STRIP_HEIGHT * 4, STRIP_HEIGHT)) for frame in keyframes]
    strip = Image.new("RGB", (sum(t.width for t in thumbs), STRIP_HEIGHT))
    x = 0
    for thumb in thumbs:
        strip.paste(thumb, (x, (STRIP_HEIGHT - thumb.height) // 2))
        x += thumb.width
    results["strip"] = (_jpeg(strip, 75), strip.width, strip.height, "jpg")
    thumbnail = _fit(keyframes[poster_index], THUMBNAIL_PX)
    results["thumbnail"] = (_jpeg(thumbnail, 78), thumbnail.width, thumbnail.height, "jpg")
    return results


def video_proxy(path) -> tuple[str, int, int]:
    """Transcode to an H.264/AAC MP4 in a temporary file; returns (path, width, height).
    The caller removes the file."""
    import av

    handle, target = tempfile.mkstemp(suffix=".mp4", prefix="rongmei-proxy-")
    os.close(handle)
    with av.open(str(path)) as source, av.open(target, "w", format="mp4") as output:
        video_in = source.streams.video[0]
        video_in.thread_type = "AUTO"
        width, height = video_in.codec_context.width, video_in.codec_context.height
        if height > PROXY_MAX_HEIGHT:
            width, height = round(width * PROXY_MAX_HEIGHT / height), PROXY_MAX_HEIGHT
        width, height = width - width % 2, height - height % 2
        rate = video_in.average_rate or video_in.guessed_rate or Fraction(25)
        video_out = output.add_stream("libx264", rate=rate)
        video_out.width, video_out.height, video_out.pix_fmt = width, height, "yuv420p"
        video_out.options = {"crf": PROXY_CRF, "preset": "veryfast", "movflags": "+faststart"}
        audio_in = next(iter(source.streams.audio), None)
        audio_out = output.add_stream("aac", rate=48000) if audio_in is not None else None
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000) if audio_in is not None else None
        streams = [video_in] + ([audio_in] if audio_in is not None else [])
        for packet in source.demux(*streams):
            if packet.stream is video_in:
                for frame in packet.decode():
                    frame = frame.reformat(width=width, height=height, format="yuv420p")
                    frame.pts = None
                    output.mux(video_out.encode(frame))
            elif packet.stream is audio_in:
                for frame in packet.decode():
                    frame.pts = None
                    for resampled in resampler.resample(frame):
                        output.mux(audio_out.encode(resampled))
        output.mux(video_out.encode(None))
        if audio_out is not None:
            output.mux(audio_out.encode(None))
    return target, width, height


def save(asset, kind: str, data_or_path, width: int, height: int, extension: str):
    """Store one rendition (replacing any earlier one of that kind)."""
    from rongmei.archive.models import Rendition

    name = f"renditions/{asset.sha256[:2]}/{asset.sha256}/{kind}.{extension}"
    old = Rendition.objects.filter(asset=asset, kind=kind).first()
    if old is not None:
        old.file.delete(save=False)
        old.delete()
    if isinstance(data_or_path, bytes):
        content, size = ContentFile(data_or_path), len(data_or_path)
        stored = asset.original.storage.save(name, content)
    else:
        size = os.path.getsize(data_or_path)
        with open(data_or_path, "rb") as handle:
            stored = asset.original.storage.save(name, File(handle))
    return Rendition.objects.create(asset=asset, kind=kind, file=stored, width=width, height=height, size=size)
