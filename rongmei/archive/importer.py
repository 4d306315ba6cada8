"""Bulk import (``rongmei assets import PATH``): a folder or a zip of files,
each ingested on its own. A file that fails is reported with its reason and
never stops the rest; what was imported stays imported.

Zips are read defensively: a member whose name leaves the archive (``../``,
an absolute path) is refused; so is one whose declared size is too large or
whose compression ratio is that of a zip bomb; and extraction stops at the
declared size whatever the data says, so a lying header cannot fill the disk."""

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from rongmei.archive.ingest import IngestError, ingest_file

MAX_MEMBER_BYTES = 64 * 1024**3
MAX_RATIO = 100  # media hardly compresses; text does ~10:1; bombs do 1000:1
RATIO_CHECK_ABOVE = 10 * 1024**2
COPY_BUFFER = 1024 * 1024


@dataclass
class Report:
    imported: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (name, existing asset id)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)

    @property
    def total(self) -> int:
        return len(self.imported) + len(self.duplicates) + len(self.failed)


class Source:
    """One file to import: its display name and a way to get a local path."""

    def __init__(self, name: str, size: int, opener: Callable[[], contextlib.AbstractContextManager[str]]):
        self.name, self.size, self.open_path = name, size, opener


def _folder_sources(folder: Path) -> Iterator[Source]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
            yield Source(
                str(path.relative_to(folder)), path.stat().st_size, lambda p=path: contextlib.nullcontext(str(p))
            )


class _Refused(Exception):
    pass


def _zip_member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or (len(name) > 1 and name[1] == ":"):
        return _("the name leads outside the archive (%(name)s)") % {"name": name}
    if info.file_size > MAX_MEMBER_BYTES:
        return _("larger than %(limit)s GB once unpacked") % {"limit": MAX_MEMBER_BYTES // 1024**3}
    if info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_RATIO * max(1, info.compress_size):
        return _("compressed %(ratio)s to 1: a zip bomb, not a media file") % {
            "ratio": info.file_size // max(1, info.compress_size)
        }
    return None


@contextlib.contextmanager
def _extracted(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    handle, path = tempfile.mkstemp(prefix="rongmei-import-", dir=settings.FILE_UPLOAD_TEMP_DIR)
    try:
        written = 0
        with os.fdopen(handle, "wb") as out, archive.open(info) as member:
            while chunk := member.read(COPY_BUFFER):
                written += len(chunk)
                if written > info.file_size:
                    raise _Refused(_("the data is longer than the zip says: a zip bomb, not a media file"))
                out.write(chunk)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _zip_sources(archive: zipfile.ZipFile) -> Iterator[Source | tuple[str, str]]:
    for info in archive.infolist():
        if info.is_dir() or PurePosixPath(info.filename).name.startswith("."):
            continue
        problem = _zip_member_problem(info)
        if problem:
            yield (info.filename, problem)
        else:
            yield Source(info.filename, info.file_size, lambda i=info: _extracted(archive, i))


def import_path(
    path, *, user=None, catalogue: dict | None = None, progress: Callable[[Source, int], None] | None = None
) -> Report:
    """Import every file of a folder or a zip. ``progress(source, bytes_done)`` is called after each file."""
    path = Path(path)
    report = Report()
    if not path.exists():
        raise FileNotFoundError(_("%(path)s does not exist.") % {"path": path})
    with contextlib.ExitStack() as stack:
        if path.is_dir():
            sources = list(_folder_sources(path))
        elif zipfile.is_zipfile(path):
            try:
                archive = stack.enter_context(zipfile.ZipFile(path))
            except zipfile.BadZipFile as error:
                raise ValueError(
                    _("%(path)s is not a readable zip (%(reason)s).") % {"path": path, "reason": error}
                ) from None
            sources = list(_zip_sources(archive))
        else:
            sources = [Source(path.name, path.stat().st_size, lambda: contextlib.nullcontext(str(path)))]
        done = 0
        for source in sources:
            if isinstance(source, tuple):
                report.failed.append(source)
                continue
            try:
                with source.open_path() as local:
                    result = ingest_file(
                        local, original_name=PurePosixPath(source.name).name, user=user, catalogue=catalogue
                    )
            except (IngestError, _Refused) as error:
                report.failed.append((source.name, str(error.args[0]) if error.args else str(error)))
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                report.failed.append((source.name, _("cannot be read (%(reason)s)") % {"reason": error}))
            else:
                if result.duplicate:
                    report.duplicates.append((source.name, result.asset.pk))
                else:
                    report.imported.append(source.name)
            done += source.size
            if progress:
                progress(source, done)
    return report


def total_bytes(path) -> int:
    path = Path(path)
    if path.is_dir():
        return sum(source.size for source in _folder_sources(path))
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist() if not _zip_member_problem(info))
    return path.stat().st_size
