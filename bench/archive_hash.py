"""Hashing speed of the archive: ``rongmei.archive.ingest.sha256_of`` against
the ``sha256sum`` of coreutils on the same file, goal ratio ≥ 0.9.

A file of random bytes (default 1 GiB) is written once into a temporary
directory (not timed). Each side then hashes it ``--runs`` times (default 2),
alternating, and the best time of each counts: nothing is dropped from the
page cache, so the first pass may read the disk and later passes read
memory, for both alike. The digests must be equal. The ratio is
throughput of ``sha256_of`` / throughput of ``sha256sum``.

    .venv/bin/python bench/archive_hash.py [--size-mb 1024] [--runs 2]

Exit status: 0 goal met, 1 goal missed, 2 could not measure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_RATIO = 0.9
CHUNK = 16 * 1024 * 1024


def write_random(path: Path, size: int) -> None:
    """``size`` bytes from the OS's random generator, written in chunks."""
    with open(path, "wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(CHUNK, left))
            out.write(chunk)
            left -= len(chunk)


def setup_django(data_dir: Path) -> None:
    """``rongmei.archive.ingest`` imports the models: Django on a throw-away data dir."""
    for name in ("DATABASE_URL", "DATABASE_URL_FILE", "RONGMEI_QUEUE_URL", "RONGMEI_QUEUE_URL_FILE"):
        os.environ.pop(name, None)
    os.environ["RONGMEI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rongmei.settings"
    import django

    django.setup()


def time_ours(path: Path) -> tuple[float, str]:
    from rongmei.archive.ingest import sha256_of

    started = time.perf_counter()
    digest = sha256_of(path)
    return time.perf_counter() - started, digest


def time_sha256sum(path: Path, binary: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([binary, str(path)], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout.split()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1024, help="file size in MiB (default 1024)")
    parser.add_argument("--runs", type=int, default=2, help="passes of each, best counts (default 2)")
    args = parser.parse_args()

    binary = shutil.which("sha256sum")
    if binary is None:
        print("sha256sum is not installed: cannot measure the baseline")
        return 2
    directory = Path(tempfile.mkdtemp(prefix="rongmei-bench-hash-"))
    try:
        setup_django(directory / "data")
        path = directory / "random.bin"
        size = args.size_mb * 1024 * 1024
        started = time.perf_counter()
        write_random(path, size)
        print(f"file: {size / 2**20:,.0f} MiB of random bytes, written in {time.perf_counter() - started:.1f} s")
        ours, theirs = [], []
        for run in range(args.runs):
            seconds, our_digest = time_ours(path)
            ours.append(seconds)
            seconds, their_digest = time_sha256sum(path, binary)
            theirs.append(seconds)
            print(f"  run {run + 1}: sha256_of {ours[-1]:.3f} s, sha256sum {theirs[-1]:.3f} s")
            if our_digest != their_digest:
                print(f"digests differ: {our_digest} vs {their_digest}")
                return 2
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    mb = size / 1e6
    our_rate, their_rate = mb / min(ours), mb / min(theirs)
    ratio = our_rate / their_rate
    ok = ratio >= GOAL_RATIO
    print(f"sha256_of (hashlib.file_digest): {our_rate:,.0f} MB/s (best of {args.runs})")
    print(f"sha256sum (coreutils):           {their_rate:,.0f} MB/s (best of {args.runs})")
    print(f"ratio: {ratio:.2f}; goal ≥ {GOAL_RATIO}: {'PASS' if ok else 'MISS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
