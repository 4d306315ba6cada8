"""Chunked, resumable uploads for large files (the API's ``/assets/uploads``).

The client announces the file (name and size), then sends its bytes in
order, each request saying at which offset its chunk starts. Bytes are
appended to a part file on local disk, streamed from the request in small
pieces, so a 4 GB video is never held in memory. After an interruption the
client asks for the offset and goes on from there. The last byte ingests the
file and removes the part file."""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from rongmei.archive import catalogue as catalogue_fields
from rongmei.archive.ingest import Ingested, IngestError, ingest_file
from rongmei.archive.models import Upload
from rongmei.core import audit

MAX_FILE_BYTES = 64 * 1024**3
MAX_CHUNK_BYTES = 256 * 1024**2
READ_BUFFER = 1024 * 1024


class UploadError(Exception):
    status = 400

    def __init__(self, message: str, *, offset: int | None = None):
        super().__init__(message)
        self.message, self.offset = message, offset


class OffsetMismatch(UploadError):
    status = 409


def start(*, user, filename: str, size: int, catalogue: dict | None = None) -> Upload:
    filename = Path(filename or "").name.strip()
    if not filename:
        raise UploadError(_("Give the file's name."))
    if size <= 0:
        raise UploadError(_("The file is empty (0 bytes)."))
    if size > MAX_FILE_BYTES:
        raise UploadError(_("The file is larger than %(limit)s GB.") % {"limit": MAX_FILE_BYTES // 1024**3})
    catalogue_fields.clean({k: v for k, v in (catalogue or {}).items() if k != "event"})
    free = _free_bytes()
    if size > free:
        raise UploadError(_("Not enough disk space for this upload: %(free)s GB free.") % {"free": free // 1024**3})
    upload = Upload.objects.create(user=user, filename=filename[:255], size=size, catalogue=catalogue or {})
    upload.part_path.parent.mkdir(parents=True, exist_ok=True)
    upload.part_path.touch()
    audit.record("archive.upload.start", upload, actor=user, data={"file": filename, "size": size})
    return upload


def _free_bytes() -> int:
    directory = Path(settings.DATA_DIR) / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return shutil.disk_usage(directory).free


def append(upload: Upload, *, offset: int, stream, length: int) -> Upload:
    """Append ``length`` bytes read from ``stream`` at ``offset``."""
    if upload.asset_id:
        raise UploadError(_("This upload is already complete."), offset=upload.size)
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        on_disk = locked.part_path.stat().st_size if locked.part_path.exists() else 0
        if on_disk != locked.received:  # a chunk was cut off mid-write: keep what was confirmed
            with open(locked.part_path, "r+b") as part:
                part.truncate(locked.received)
        if offset != locked.received:
            raise OffsetMismatch(
                _("The upload is at byte %(expected)s, not %(offset)s: resume from there.")
                % {"expected": locked.received, "offset": offset},
                offset=locked.received,
            )
        if length <= 0 or length > MAX_CHUNK_BYTES:
            raise UploadError(_("A chunk must be 1 byte to %(limit)s MB.") % {"limit": MAX_CHUNK_BYTES // 1024**2})
        if offset + length > locked.size:
            raise UploadError(_("The chunk goes past the announced size of the file."), offset=locked.received)
        written = 0
        with open(locked.part_path, "ab") as part:
            while written < length:
                piece = stream.read(min(READ_BUFFER, length - written))
                if not piece:
                    break
                part.write(piece)
                written += len(piece)
            part.flush()
            os.fsync(part.fileno())
        if written != length:
            with open(locked.part_path, "r+b") as part:
                part.truncate(locked.received)
            raise UploadError(
                _("The chunk was cut off after %(written)s of %(length)s bytes; resume from byte %(offset)s.")
                % {"written": written, "length": length, "offset": locked.received},
                offset=locked.received,
            )
        locked.received += written
        locked.save(update_fields=["received", "updated_at"])
    upload.received = locked.received
    return upload


def finish(upload: Upload) -> Ingested:
    """Ingest a complete upload. A file the archive refuses ends the upload
    with the reason; the part file is removed either way."""
    if upload.received != upload.size:
        raise UploadError(
            _("The upload has %(received)s of %(size)s bytes.") % {"received": upload.received, "size": upload.size},
            offset=upload.received,
        )
    try:
        result = ingest_file(
            upload.part_path, original_name=upload.filename, user=upload.user, catalogue=upload.catalogue
        )
    except IngestError as error:
        Upload.objects.filter(pk=upload.pk).update(error=error.message)
        upload.part_path.unlink(missing_ok=True)
        raise
    Upload.objects.filter(pk=upload.pk).update(asset=result.asset)
    upload.asset = result.asset
    upload.part_path.unlink(missing_ok=True)
    return result
