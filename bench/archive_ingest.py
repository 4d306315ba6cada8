"""Photo ingest throughput of the media archive: 1,000 twelve-megapixel
JPEGs through ``rongmei.archive.ingest.ingest_file`` and the renditions made
by the real background worker, goal ≥ 20 photos/s.

Set-up (not timed): a temporary data dir with the platform's schema; the
photos are generated with ``rongmei.archive.samples.photo`` (4000×3000 and
3000×4000, EXIF date, camera, lens, GPS and orientation 1/3/6/8, JPEG
quality 92, about 4.5 MB each). ``--distinct`` different pictures are drawn
(on every core) and each file is one of them with its own JPEG comment
segment, so that every file has its own content and hash, as the archive
sees it, while the generation stays short. The worker is started as
``rongmei up`` starts it (``python -m rongmei worker --workers 2``: a Huey
consumer with two threads, on the SQLite queue in the data dir) and the
script waits for its heartbeat.

Timed: from the first ``ingest_file`` call (one after the other, in this
process, as ``rongmei assets import`` does: type check, SHA-256, metadata,
copy of the original into the archive, the asset row, its audit entry, its
search index entry, the queued task) until the last asset is
``status=ready`` (polled every 50 ms), i.e. until the worker has made every
thumbnail and web image. Every asset must end ``ready`` with both
renditions, otherwise the run is invalid.

Baseline, in the same run on the same files: plain Pillow ``Image.open`` +
``load()`` of each file (a full-size decode, nothing else), one after the
other in one process — the cost of looking at each photo once.

    .venv/bin/python bench/archive_ingest.py [--photos 1000] [--distinct 40] [--workers 2]

Exit status: 0 goal met, 1 goal missed, 2 could not measure.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import REPO, child_env, stop, stop_on_sigterm, temp_data_dir, verdict

GOAL = 20.0  # photos per second
SIZES = [(4000, 3000), (4000, 3000), (4000, 3000), (3000, 4000)]
ORIENTATIONS = [1, 1, 6, 1, 8, 1, 3]
CAMERAS = [
    (("Canon", "Canon EOS R6"), "RF24-105mm F4 L IS USM"),
    (("NIKON CORPORATION", "NIKON Z 6_2"), "NIKKOR Z 24-70mm f/4 S"),
    (("SONY", "ILCE-7M4"), "FE 24-105mm F4 G OSS"),
    (("Apple", "iPhone 15 Pro"), "iPhone 15 Pro back triple camera 6.86mm f/1.78"),
]


def draw(seed: int) -> bytes:
    """One distinct 12-megapixel picture (runs in the pool)."""
    from rongmei.archive import samples

    width, height = SIZES[seed % len(SIZES)]
    camera, lens = CAMERAS[seed % len(CAMERAS)]
    return samples.photo(
        width,
        height,
        seed=seed,
        taken=datetime.datetime(2024, 10, 1, 8, 0) + datetime.timedelta(minutes=7 * seed),
        camera=camera,
        lens=lens,
        gps=(39.90 + seed * 0.001, 116.36 + seed * 0.0007),
        orientation=ORIENTATIONS[seed % len(ORIENTATIONS)],
        quality=92,
        label=f"bench {seed}",
    )


def with_comment(jpeg: bytes, text: str) -> bytes:
    """``jpeg`` with a COM segment after its APPn segments: same picture, another file."""
    position = 2
    while jpeg[position] == 0xFF and 0xE0 <= jpeg[position + 1] <= 0xEF:
        (length,) = struct.unpack(">H", jpeg[position + 2 : position + 4])
        position += 2 + length
    comment = text.encode()
    return jpeg[:position] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + jpeg[position:]


def generate(folder: Path, count: int, distinct: int) -> list[Path]:
    folder.mkdir(parents=True)
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        pictures = pool.map(draw, range(distinct))
        pool.close()  # let the workers exit by themselves (terminate() would SIGTERM them)
        pool.join()
    paths = []
    for number in range(count):
        path = folder / f"DSC_{number:05d}.JPG"
        path.write_bytes(with_comment(pictures[number % distinct], f"rongmei bench photo {number}"))
        paths.append(path)
    return paths


def baseline(paths: list[Path]) -> float:
    """Seconds to open and fully decode every file with Pillow, one after the other."""
    from PIL import Image

    started = time.perf_counter()
    for path in paths:
        with Image.open(path) as image:
            image.load()
    return time.perf_counter() - started


def setup_django(data_dir: Path) -> None:
    os.environ.update(child_env(data_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "rongmei.settings"
    import django

    django.setup()
    from rongmei.core import bootstrap

    bootstrap.migrate()


def start_worker(data_dir: Path, workers: int, log: Path) -> subprocess.Popen:
    """The worker exactly as ``rongmei up`` starts it."""
    from rongmei.core.tasks import seconds_since_heartbeat

    command = [sys.executable, "-m", "rongmei", "worker", "--workers", str(workers)]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=child_env(data_dir), cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while (age := seconds_since_heartbeat()) is None or age > 30:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the worker did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.1)
    return process


def ingest_all(paths: list[Path]) -> tuple[float, float, dict]:
    """Ingest every file; returns (seconds until the last ingest, seconds until all ready, counts)."""
    from rongmei.archive.ingest import ingest_file
    from rongmei.archive.models import Asset, Rendition, Status

    started = time.perf_counter()
    duplicates = 0
    for path in paths:
        duplicates += ingest_file(path, original_name=path.name).duplicate
    ingested = time.perf_counter() - started
    deadline = time.monotonic() + 1800
    while Asset.objects.filter(status=Status.PROCESSING).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    done = time.perf_counter() - started
    counts = {
        "assets": Asset.objects.count(),
        "ready": Asset.objects.filter(status=Status.READY).count(),
        "failed": Asset.objects.filter(status=Status.FAILED).count(),
        "renditions": Rendition.objects.count(),
        "duplicates": duplicates,
    }
    return ingested, done, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--distinct", type=int, default=40, help="different pictures drawn (default 40)")
    parser.add_argument("--workers", type=int, default=2, help="worker threads, as rongmei up (default 2)")
    args = parser.parse_args()
    stop_on_sigterm()

    with temp_data_dir("ingest") as root:
        started = time.perf_counter()
        paths = generate(root / "photos", args.photos, min(args.distinct, args.photos))
        megabytes = sum(path.stat().st_size for path in paths) / 1e6
        print(f"{len(paths):,} photos, {megabytes / len(paths):.1f} MB each on average "
              f"({args.distinct} distinct pictures), generated in {time.perf_counter() - started:.0f} s")  # fmt: skip

        base_s = baseline(paths)
        base_rate = len(paths) / base_s
        print(f"baseline, Pillow open + full decode, one process: {base_s:.1f} s, {base_rate:.1f} photos/s")

        data_dir = root / "data"
        setup_django(data_dir)
        worker = start_worker(data_dir, args.workers, root / "worker.log")
        try:
            ingested, done, counts = ingest_all(paths)
        finally:
            stop(worker, signal.SIGINT)  # Huey's graceful stop; whatever is left is killed
        if counts["ready"] != len(paths) or counts["renditions"] != 2 * len(paths) or counts["duplicates"]:
            print(f"INVALID: {counts}")
            print((root / "worker.log").read_text(errors="replace")[-3000:])
            return 2

    rate = len(paths) / done
    print(f"ingest calls: {ingested:.1f} s ({len(paths) / ingested:.1f} photos/s), "
          f"all ready after {done:.1f} s")  # fmt: skip
    print(f"  {counts['assets']:,} assets ready, {counts['renditions']:,} renditions (thumbnail + web)")
    print(f"throughput, first ingest to last ready: {rate:.1f} photos/s ({megabytes / done:.0f} MB/s)")
    print(f"ratio to the baseline (Pillow full decode): {rate / base_rate:.2f}")
    print(f"goal ≥ {GOAL:.0f} photos/s: {verdict(rate >= GOAL)}")
    return 0 if rate >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
