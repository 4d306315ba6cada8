"""A fast first start on SQLite.

Applying the ~200 migrations of Django, Wagtail and Rongmei to an empty
database takes 12 s of CPU on a small server, almost all of it Django
rendering historical model states. ``schema.sql`` beside this file is the
database those migrations produce, as plain, reviewable SQL (written by
``rongmei manage write_sqlite_bootstrap``). On an empty SQLite database we
load it (≈0.1 s) and then run ``migrate`` as usual, which applies whatever
is newer than the file. A test checks the file still matches the migrations.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

SCHEMA_FILE = Path(__file__).with_name("schema.sql")


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    return "'" + str(value).replace("'", "''") + "'"


def dump_sqlite(raw_connection) -> str:
    """The schema and rows of a freshly migrated SQLite database as SQL."""
    objects = raw_connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    virtual = [name for type_, name, _, sql in objects if type_ == "table" and sql.upper().startswith("CREATE VIRTUAL")]

    def is_shadow(name: str) -> bool:
        return any(name.startswith(f"{table}_") for table in virtual)

    tables = [
        (name, sql)
        for type_, name, _, sql in objects
        if type_ == "table" and not name.startswith("sqlite_") and not is_shadow(name)
    ]
    lines = ["-- Written by `rongmei manage write_sqlite_bootstrap`; do not edit.", "BEGIN;"]
    lines += [f"{sql};" for _, sql in tables]
    for name in [*(name for name, _ in tables), "sqlite_sequence"]:
        if name in virtual:
            continue
        for row in raw_connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):  # noqa: S608 - our own table names
            lines.append(f'INSERT INTO "{name}" VALUES({",".join(_literal(v) for v in row)});')
    lines += [f"{sql};" for type_, name, _, sql in objects if type_ == "index" and not is_shadow(name)]
    lines += [f"{sql};" for type_, name, _, sql in objects if type_ == "trigger"]
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def is_blank(alias: str = DEFAULT_DB_ALIAS) -> bool:
    return not connections[alias].introspection.table_names()


# Any number; several web machines starting together take turns migrating.
MIGRATE_LOCK_ID = 7_406_231


def migrate(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Bring the database to the current schema, fast on a blank SQLite file."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK_ID])
        try:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK_ID])
        return
    if connection.vendor == "sqlite" and SCHEMA_FILE.exists() and is_blank(alias):
        connection.ensure_connection()
        connection.connection.executescript(SCHEMA_FILE.read_text(encoding="utf-8"))
    call_command("migrate", database=alias, interactive=False, verbosity=0)
