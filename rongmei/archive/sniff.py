"""What a file is, from its first bytes, never from its name.

Only the types the archive takes are recognised; anything else is refused
by the caller with a clear message. Each entry gives the asset kind, the
MIME type, the extension the archive stores it under, and the extensions
that may honestly carry it (a file named ``.jpg`` that holds an MP4 lies)."""

from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    kind: str
    mime: str
    extension: str
    label: str
    extensions: frozenset[str]


def _type(kind, mime, extension, label, *others):
    return FileType(kind, mime, extension, label, frozenset({extension, *others}))


JPEG = _type("photo", "image/jpeg", "jpg", "JPEG", "jpeg", "jpe", "jfif")
PNG = _type("photo", "image/png", "png", "PNG")
GIF = _type("photo", "image/gif", "gif", "GIF")
WEBP = _type("photo", "image/webp", "webp", "WebP")
TIFF = _type("photo", "image/tiff", "tif", "TIFF", "tiff")
MP4 = _type("video", "video/mp4", "mp4", "MP4", "m4v")
MOV = _type("video", "video/quicktime", "mov", "QuickTime", "qt")
MKV = _type("video", "video/x-matroska", "mkv", "Matroska", "webm")
AVI = _type("video", "video/x-msvideo", "avi", "AVI")
MPEG_TS = _type("video", "video/mp2t", "ts", "MPEG-TS", "mts", "m2ts")
M4A = _type("audio", "audio/mp4", "m4a", "M4A (AAC)", "mp4", "aac")
MP3 = _type("audio", "audio/mpeg", "mp3", "MP3")
WAV = _type("audio", "audio/wav", "wav", "WAV", "wave")
FLAC = _type("audio", "audio/flac", "flac", "FLAC")
OGG = _type("audio", "audio/ogg", "ogg", "Ogg", "oga", "opus")
PDF = _type("document", "application/pdf", "pdf", "PDF")
DOCX = _type("document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word")
XLSX = _type("document", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")
PPTX = _type(
    "document", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PowerPoint"
)

KIND_LABELS = {"photo": _("photo"), "video": _("video"), "audio": _("audio"), "document": _("document")}

# ISO base media brands (bytes 8–12 of the ftyp box).
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A "}
_QUICKTIME_BRANDS = {b"qt  "}


def sniff(head: bytes) -> FileType | None:
    """The type of a file whose first bytes (at least 4 KiB, if it has them) are ``head``."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return AVI
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AUDIO_BRANDS:
            return M4A
        if brand in _QUICKTIME_BRANDS:
            return MOV
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return MKV
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:
        return MPEG_TS
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06):
        return MP3
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office(head)
    return None


def _office(head: bytes) -> FileType | None:
    """An Office Open XML document names its main part early in the zip."""
    for marker, file_type in ((b"word/", DOCX), (b"xl/", XLSX), (b"ppt/", PPTX)):
        if marker in head:
            return file_type
    return None


def name_lies(name: str, file_type: FileType) -> bool:
    """Whether the file name's extension claims a type other than the content's."""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return bool(suffix) and suffix in KNOWN_EXTENSIONS and suffix not in file_type.extensions


KNOWN_EXTENSIONS = frozenset().union(
    *(
        t.extensions
        for t in (
            JPEG,
            PNG,
            GIF,
            WEBP,
            TIFF,
            MP4,
            MOV,
            MKV,
            AVI,
            MPEG_TS,
            M4A,
            MP3,
            WAV,
            FLAC,
            OGG,
            PDF,
            DOCX,
            XLSX,
            PPTX,
        )
    ),
    {"heic", "heif", "bmp", "doc", "xls", "ppt", "zip", "rar", "7z", "exe", "txt", "html", "svg"},
)
