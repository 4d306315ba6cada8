"""A pytest plugin loaded before Django (``-p rongmei.testing`` in
pyproject.toml): each test run gets its own data dir, removed at the end, so
tests never touch the ./var of a platform running from the same checkout."""

import atexit
import os
import shutil
import tempfile

if not os.environ.get("RONGMEI_DATA_DIR"):
    os.environ["RONGMEI_DATA_DIR"] = tempfile.mkdtemp(prefix="rongmei-test-")
    atexit.register(shutil.rmtree, os.environ["RONGMEI_DATA_DIR"], ignore_errors=True)
