"""Run the real ``rongmei`` command in a child process."""

import os
import socket
import subprocess
import sys


def child_env(data_dir, **overrides) -> dict[str, str]:
    """The current environment with its own data dir; services as the caller says."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RONGMEI_QUEUE_URL"}}
    env["RONGMEI_DATA_DIR"] = str(data_dir)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({k: v for k, v in overrides.items() if v is not None})
    return env


def run_rongmei(*args, env, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rongmei", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
