import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from rongmei.core.bootstrap import SCHEMA_FILE, dump_sqlite


class Command(BaseCommand):
    help = "Migrate a blank SQLite database the slow way and write it to rongmei/core/bootstrap/schema.sql."

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as scratch:
            database = Path(scratch) / "bootstrap.sqlite3"
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "RONGMEI_DATA_DIR": scratch}
            env.pop("RONGMEI_QUEUE_URL", None)
            subprocess.run(
                [sys.executable, "-m", "rongmei", "manage", "migrate", "--verbosity", "0"], env=env, check=True
            )
            with sqlite3.connect(database) as connection:
                SCHEMA_FILE.write_text(dump_sqlite(connection), encoding="utf-8")
        self.stdout.write(f"Wrote {SCHEMA_FILE} ({SCHEMA_FILE.stat().st_size // 1024} KiB)")
