"""The SQL snapshot that makes the first start fast must match the migrations."""

import sqlite3

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from rongmei.core.bootstrap import SCHEMA_FILE, dump_sqlite

FIX = "the migrations changed: run `rongmei manage write_sqlite_bootstrap` and commit schema.sql"


def snapshot_connection():
    loaded = sqlite3.connect(":memory:")
    loaded.executescript(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def test_snapshot_holds_exactly_the_migrations_on_disk():
    applied = set(snapshot_connection().execute("SELECT app, name FROM django_migrations").fetchall())
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert applied == on_disk, FIX


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the snapshot is for SQLite")
def test_snapshot_equals_a_database_built_by_migrations():
    """The test database was built by running every migration; the snapshot
    must give the same schema and the same rows (roles, permissions, …)."""
    migrated = connection.connection
    # Rows written by tests in this session would differ; the schema and the
    # seeded tables cannot.
    expected = dump_sqlite(migrated)
    actual = dump_sqlite(snapshot_connection())

    def comparable(dump):
        seeded = ("django_migrations", "auth_group", "auth_permission", "django_content_type")
        return [
            line
            for line in dump.splitlines()
            if not line.startswith("INSERT") or line.startswith(tuple(f'INSERT INTO "{t}"' for t in seeded))
        ]

    def without_times(lines):
        # django_migrations.applied is the time each migration ran.
        migration_row = 'INSERT INTO "django_migrations"'
        return [line.rsplit(",", 1)[0] if line.startswith(migration_row) else line for line in lines]

    assert without_times(comparable(actual)) == without_times(comparable(expected)), FIX
