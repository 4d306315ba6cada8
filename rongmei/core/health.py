"""Checks of the parts the platform depends on, shared by ``/healthz``,
``/api/v1/health`` and ``rongmei check``. Each returns a :class:`Result`
whose ``detail`` is one sentence a person can act on."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks as django_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass
class Result:
    name: str
    ok: bool
    detail: str


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or exc.__class__.__name__


def _database_label() -> str:
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or "5432"
    return f"PostgreSQL {host}:{port}/{db['NAME']}"


def _queue_label() -> str:
    queue = settings.QUEUE
    if queue.kind == "redis":
        parts = urlsplit(queue.location)
        return f"Redis {parts.hostname or 'localhost'}:{parts.port or 6379}{parts.path or ''}"
    return f"SQLite {queue.location}"


def check_database(*, migrations: bool = False) -> Result:
    label = _database_label()
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the same to the operator
        return Result(
            "database",
            False,
            _(
                "Cannot reach the database %(label)s (%(reason)s). "
                "Check that it is running and that DATABASE_URL is right."
            )
            % {"label": label, "reason": _reason(exc)},
        )
    if migrations:
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        if pending:
            return Result(
                "database",
                True,
                _("%(label)s is reachable; %(count)d migrations are not applied yet (rongmei up applies them).")
                % {"label": label, "count": pending},
            )
    return Result("database", True, _("%(label)s is reachable.") % {"label": label})


def check_queue() -> Result:
    from huey.contrib.djhuey import HUEY

    label = _queue_label()
    try:
        length = HUEY.storage.queue_size()
    except Exception as exc:
        return Result(
            "queue",
            False,
            _(
                "Cannot reach the task queue %(label)s (%(reason)s). "
                "Check that it is running and that RONGMEI_QUEUE_URL is right."
            )
            % {"label": label, "reason": _reason(exc)},
        )
    return Result(
        "queue", True, _("%(label)s is reachable; %(count)d tasks waiting.") % {"label": label, "count": length}
    )


def _storage_location(storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3://{bucket}/{getattr(storage, 'location', '')}"
    return str(getattr(storage, "location", settings.MEDIA_ROOT))


def check_storage() -> Result:
    """Write, read back and delete a file in the media storage and in the
    media archive's storage (local folders, or an S3-compatible bucket)."""
    name = f".rongmei-check/{uuid.uuid4().hex}.txt"
    places = [default_storage, storages["archive"]]
    for storage in places:
        try:
            saved = storage.save(name, ContentFile(b"ok"))
            with storage.open(saved) as handle:
                if handle.read() != b"ok":
                    raise OSError("read back different content")
            storage.delete(saved)
        except Exception as exc:
            return Result(
                "storage",
                False,
                _("Cannot write files to %(location)s (%(reason)s). Check the folder's permissions and free space.")
                % {"location": _storage_location(storage), "reason": _reason(exc)},
            )
    locations = "、".join(_storage_location(storage) for storage in places)
    return Result("storage", True, _("Files can be written to %(location)s.") % {"location": locations})


def check_configuration() -> Result:
    problems = [
        message
        for message in django_checks.run_checks(include_deployment_checks=False)
        if message.level >= django_checks.ERROR
    ]
    if problems:
        first = problems[0]
        return Result(
            "configuration",
            False,
            _("%(count)d configuration errors, the first: %(id)s %(msg)s")
            % {"count": len(problems), "id": first.id, "msg": first.msg},
        )
    if settings.DEBUG:
        return Result("configuration", True, _("Settings load, but RONGMEI_DEBUG is on: turn it off in production."))
    return Result(
        "configuration",
        True,
        _("Settings load; data dir %(dir)s, language %(lang)s.")
        % {"dir": settings.DATA_DIR, "lang": settings.LANGUAGE_CODE},
    )


def service_status() -> tuple[bool, dict[str, str]]:
    """What ``/healthz`` reports: ``{"status", "database", "queue"}``, each
    ``ok`` or ``error``. Reasons stay in the server log, not in the answer."""
    results = [check_database(), check_queue()]
    ok = all(r.ok for r in results)
    for result in results:
        if not result.ok:
            logger.error("health check failed: %s", result.detail)
    return ok, {"status": "ok" if ok else "error", **{r.name: "ok" if r.ok else "error" for r in results}}


def all_checks() -> list[Result]:
    """What ``rongmei check`` reports."""
    return [check_configuration(), check_database(migrations=True), check_queue(), check_storage()]
