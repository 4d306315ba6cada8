"""Technical metadata, read from the file itself, and the checks that a
file is whole: Pillow for photos (EXIF date, camera, lens, GPS, dimensions
with the EXIF orientation applied), PyAV for video and audio (duration,
codecs, resolution, frame rate, bitrate), so no ffmpeg binary is needed.

Each reader raises :class:`Unreadable` with a plain-language reason when the
file is truncated, corrupt or a decompression bomb."""

import datetime
import warnings
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageFile

# A photo larger than this is refused as a possible decompression bomb
# (Pillow's own threshold is 89 megapixels; medium-format cameras reach 150).
MAX_PIXELS = 200_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False

_TRANSPOSED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


class Unreadable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def orientation_of(width: int | None, height: int | None) -> str:
    if not width or not height:
        return ""
    if abs(width - height) <= max(width, height) * 0.02:
        return "square"
    return "landscape" if width > height else "portrait"


def _exif_datetime(value) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.strptime(str(value).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _degrees(value, ref) -> float | None:
    try:
        degrees, minutes, seconds = (float(Fraction(part).limit_denominator()) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    return -result if str(ref).upper() in {"S", "W"} else result


def _text(value) -> str:
    return str(value).strip("\x00 ").strip()[:100] if value else ""


def _ends_with_eoi(path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 4096))
        tail = handle.read().rstrip(b"\x00\r\n ")
    return tail.endswith(b"\xff\xd9")


def read_photo(path) -> dict:
    """Open, verify and fully decode a photo; return its metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:
                width, height, exif, file_format = image.width, image.height, image.getexif(), image.format
                if file_format == "JPEG":
                    # A JPEG cut short has no end-of-image marker; one that is
                    # whole but damaged inside fails when the worker decodes it.
                    if not _ends_with_eoi(path):
                        raise Unreadable(_("The image is truncated: the file ends before the picture does."))
                else:
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unreadable(_("The image is too large to open safely (possible decompression bomb).")) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise Unreadable(_("The image is damaged or truncated (%(reason)s).") % {"reason": error}) from None

    orientation = exif.get(ExifTags.Base.Orientation, 1)
    if orientation in _TRANSPOSED:
        width, height = height, width
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    make, model = _text(exif.get(ExifTags.Base.Make)), _text(exif.get(ExifTags.Base.Model))
    camera = model if make and model.lower().startswith(make.lower()) else " ".join(p for p in (make, model) if p)
    latitude = longitude = None
    if gps.get(ExifTags.GPS.GPSLatitude) and gps.get(ExifTags.GPS.GPSLongitude):
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    taken = _exif_datetime(sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime))
    return {
        "width": width,
        "height": height,
        "orientation": orientation_of(width, height),
        "taken_at": taken,
        "camera": camera[:100],
        "lens": _text(sub.get(ExifTags.Base.LensModel)),
        "latitude": latitude,
        "longitude": longitude,
        "technical": {
            "format": file_format,
            "exif_orientation": orientation,
            "iso": sub.get(ExifTags.Base.ISOSpeedRatings),
            "exposure_time": str(sub.get(ExifTags.Base.ExposureTime) or "") or None,
            "f_number": float(sub[ExifTags.Base.FNumber]) if sub.get(ExifTags.Base.FNumber) else None,
            "focal_length": float(sub[ExifTags.Base.FocalLength]) if sub.get(ExifTags.Base.FocalLength) else None,
        },
    }


def read_media(path, kind: str) -> dict:
    """Open a video or audio file with PyAV, decode its first frame, and
    return its metadata. Only headers and one frame are read."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            video = next(iter(container.streams.video), None)
            audio = next(iter(container.streams.audio), None)
            if kind == "video" and video is None:
                raise Unreadable(_("The file has no video stream."))
            if video is None and audio is None:
                raise Unreadable(_("The file has no audio or video stream."))
            first = video if kind == "video" else audio
            decoded = False
            for _frame in container.decode(first):
                decoded = True
                break
            if not decoded:
                raise Unreadable(_("No frame could be decoded: the file is damaged or truncated."))
            duration = None
            if container.duration:
                duration = container.duration / 1_000_000
            elif first.duration and first.time_base:
                duration = float(first.duration * first.time_base)
            result = {
                "duration": round(duration, 3) if duration else None,
                "bitrate": container.bit_rate or None,
                "video_codec": video.codec_context.name if video else "",
                "audio_codec": audio.codec_context.name if audio else "",
                "technical": {
                    "container": container.format.name,
                    "streams": len(container.streams),
                    "audio_sample_rate": audio.codec_context.sample_rate if audio else None,
                    "audio_channels": audio.codec_context.channels if audio else None,
                },
            }
            if video is not None:
                width, height = video.codec_context.width, video.codec_context.height
                rate = video.average_rate or video.guessed_rate
                rotation = _rotation(video)
                if rotation in (90, 270):
                    width, height = height, width
                result.update(
                    width=width,
                    height=height,
                    orientation=orientation_of(width, height),
                    frame_rate=round(float(rate), 3) if rate else None,
                )
                result["technical"].update(
                    pixel_format=video.codec_context.format.name if video.codec_context.format else None,
                    rotation=rotation,
                )
            return result
    except Unreadable:
        raise
    except (av.error.FFmpegError, ValueError, StopIteration) as error:
        reason = getattr(error, "strerror", None) or str(error)
        label = _("video") if kind == "video" else _("audio")
        raise Unreadable(
            _("The file cannot be read as %(kind)s (%(reason)s).") % {"kind": label, "reason": reason}
        ) from None


def _rotation(stream) -> int:
    try:
        rotate = int(stream.metadata.get("rotate", 0))
    except (TypeError, ValueError):
        rotate = 0
    return rotate % 360
