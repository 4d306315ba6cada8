"""A pytest plugin loaded before Django (``-p rongmei.testing`` in
pyproject.toml): each test run gets its own data dir, so tests never touch
the ./var of a platform running from the same checkout."""

import os
import tempfile

if not os.environ.get("RONGMEI_DATA_DIR"):
    os.environ["RONGMEI_DATA_DIR"] = tempfile.mkdtemp(prefix="rongmei-test-")
