"""Ingest once (一次采集): one file in, one asset out, or a clear reason why not.

``ingest_file(path, original_name=…, user=…, catalogue=…)`` is the single
path for the admin upload, the API (plain and chunked) and ``rongmei assets
import``:

1. refuse an empty file, an unknown type, or a name that lies about the type
   (the type is read from the content, :mod:`rongmei.archive.sniff`);
2. hash it (SHA-256, streamed); the same content again is the existing
   asset, reported as a duplicate and not stored twice;
3. check it is whole and read its metadata (:mod:`rongmei.archive.metadata`);
4. store the original, content-addressed, unchanged, in the archive storage;
5. create the asset with its catalogue fields, audit it, and queue its
   renditions for the worker once the transaction commits.

A file that fails any step leaves nothing behind."""

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rongmei.archive import catalogue as catalogue_fields
from rongmei.archive import metadata, sniff
from rongmei.archive.models import Asset, archive_storage
from rongmei.core import audit

HEAD_BYTES = 8192
HASH_BUFFER = 1024 * 1024


class IngestError(Exception):
    """A file the archive does not take, with the reason in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Ingested:
    asset: Asset
    duplicate: bool


def sha256_of(path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def identify(path, original_name: str) -> sniff.FileType:
    size = os.path.getsize(path)
    if size == 0:
        raise IngestError(_("The file is empty (0 bytes)."))
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    file_type = sniff.sniff(head)
    if file_type is None:
        raise IngestError(_("Unsupported file type: the archive takes photos, video, audio, PDF and Office documents."))
    if sniff.name_lies(original_name, file_type):
        raise IngestError(
            _("The file name says .%(suffix)s, but the content is %(actual)s. Rename it or check the file.")
            % {"suffix": Path(original_name).suffix.lower().lstrip("."), "actual": file_type.label}
        )
    return file_type


def read_metadata(path, file_type: sniff.FileType) -> dict:
    try:
        if file_type.kind == "photo":
            return metadata.read_photo(path)
        if file_type.kind in ("video", "audio"):
            return metadata.read_media(path, file_type.kind)
    except metadata.Unreadable as error:
        raise IngestError(error.message) from None
    return {}


def ingest_file(path, *, original_name: str, user=None, catalogue: dict | None = None) -> Ingested:
    """Ingest the file at ``path`` (left in place; the caller removes it)."""
    original_name = Path(original_name).name[:255] or "unnamed"
    file_type = identify(path, original_name)
    digest = sha256_of(path)
    existing = Asset.objects.filter(sha256=digest).first()
    if existing is not None:
        return _duplicate(existing, original_name, user)
    facts = read_metadata(path, file_type)
    try:
        catalogue_fields.clean(catalogue or {})
    except ValidationError as error:
        raise IngestError(
            " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        ) from None
    storage = archive_storage()
    stored_here = False
    name = f"originals/{digest[:2]}/{digest}.{file_type.extension}"
    if not storage.exists(name):  # content-addressed: a leftover of a failed try is the same bytes
        with open(path, "rb") as handle:
            name = storage.save(name, File(handle, name=name))
        stored_here = True
    try:
        with transaction.atomic():
            asset = Asset(
                kind=file_type.kind,
                original=name,
                original_name=original_name,
                sha256=digest,
                size=os.path.getsize(path),
                mime_type=file_type.mime,
                uploaded_by=user if getattr(user, "pk", None) else None,
                **facts,
            )
            if asset.taken_at and not asset.date:
                asset.date = asset.taken_at.date()
            catalogue_fields.apply(asset, catalogue or {})
            audit.record(
                "archive.asset.ingest",
                asset,
                actor=user,
                data={"file": original_name, "sha256": digest, "size": asset.size, "type": file_type.mime},
            )
    except IntegrityError:
        # Another upload of the same content won the race (and owns the stored file).
        existing = Asset.objects.filter(sha256=digest).first()
        if existing is None:
            raise
        if stored_here and name != existing.original.name:
            storage.delete(name)
        return _duplicate(existing, original_name, user)
    except BaseException:
        if stored_here:
            storage.delete(name)
        raise
    from rongmei.archive.tasks import make_renditions

    transaction.on_commit(lambda: make_renditions(asset.pk))
    return Ingested(asset, duplicate=False)


def _duplicate(existing: Asset, original_name: str, user) -> Ingested:
    audit.record(
        "archive.asset.duplicate", existing, actor=user, data={"file": original_name, "sha256": existing.sha256}
    )
    return Ingested(existing, duplicate=True)


def ingest_upload(uploaded, *, user, catalogue: dict | None = None) -> Ingested:
    """Ingest a Django ``UploadedFile`` (multipart form), streamed to disk first if it is in memory."""
    path = getattr(uploaded, "temporary_file_path", None)
    if path is not None:
        return ingest_file(path(), original_name=uploaded.name, user=user, catalogue=catalogue)
    with spooled(uploaded) as copy:
        return ingest_file(copy, original_name=uploaded.name, user=user, catalogue=catalogue)


@contextlib.contextmanager
def spooled(readable):
    """A temporary file holding what ``readable`` yields (streamed in chunks)."""
    from django.conf import settings

    handle, path = tempfile.mkstemp(prefix="rongmei-", dir=settings.FILE_UPLOAD_TEMP_DIR)
    try:
        with os.fdopen(handle, "wb") as out:
            if hasattr(readable, "chunks"):
                for chunk in readable.chunks():
                    out.write(chunk)
            else:
                shutil.copyfileobj(readable, out, HASH_BUFFER)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


@contextlib.contextmanager
def local_original(asset: Asset):
    """A local path of the asset's original: the file itself on local disk,
    a temporary copy (streamed) from an object store."""
    storage = asset.original.storage
    try:
        path = storage.path(asset.original.name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with storage.open(asset.original.name, "rb") as remote, spooled(remote) as copy:
        yield copy
