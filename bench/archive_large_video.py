"""Memory of the archive with a large video: peak RSS while a 4 GiB video
is ingested and its renditions are made, goal < 300 MB.

Set-up (not timed): a few seconds of 4K (3840×2160, 25 fps) all-intra H.264
with heavy grain and an AAC tone are encoded with PyAV (about 6 MB a frame,
i.e. a 1.2 Gbit/s camera file); its packets are then remuxed again and again
with increasing timestamps into one MP4 of ``--gib`` GiB (default 4) — fast,
disk-bound. The file is ~690 frames (28 s) long.

Measured: two processes, as on a server.

1. The ingest: a fresh process that runs ``ingest_file`` on the file (type
   check, SHA-256, PyAV metadata, copy into the archive, the asset row), as
   ``rongmei assets import`` or the end of a chunked upload does. Its peak is
   ``VmHWM`` at exit.
2. The worker, started as ``rongmei up`` starts it (``python -m rongmei
   worker --workers 2``), which has the poster, the keyframe strip, the
   thumbnail and the H.264/AAC proxy made by a child process
   (``python -m rongmei.archive.transcode``). The worker's peak is ``VmHWM``
   from ``/proc/<pid>/status`` once the asset is ``ready``; it is sampled
   every 0.2 s as well (``VmRSS``) to show the curve. The child's peak is
   its own ``VmHWM``, sampled while it runs. The goal is met when each of
   the three processes stays under it.

Baseline in the same run: the same two peaks with nothing to do — the ingest
process importing Django and ingesting a 2-second clip, and the worker's
``VmHWM`` once started and idle — so the difference is what the large video
costs. All generated files and the data dir are deleted at the end.

    .venv/bin/python bench/archive_large_video.py [--gib 4]

Exit status: 0 goal met, 1 goal missed, 2 could not measure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import signal
import struct
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import REPO, child_env, stop, stop_on_sigterm, temp_data_dir, verdict

GOAL_MB = 300.0
WIDTH, HEIGHT, FPS = 3840, 2160, 25
SOURCE_FRAMES = 25


def encode_source(path: Path) -> None:
    """One second of 4K all-intra H.264 with grain, and an AAC tone."""
    import av
    from PIL import Image

    rng = random.Random(4096)  # noqa: S311 - picture content, not secrets
    with av.open(str(path), "w", format="mp4") as output:
        video = output.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.options = {"preset": "ultrafast", "qp": "20", "keyint": "1"}
        audio = output.add_stream("aac", rate=48000)
        for n in range(SOURCE_FRAMES):
            base = Image.new("RGB", (WIDTH, HEIGHT), (30 + 8 * n, 120, 200 - 6 * n))
            noise = Image.frombytes("L", (WIDTH, HEIGHT), rng.randbytes(WIDTH * HEIGHT)).convert("RGB")
            output.mux(video.encode(av.VideoFrame.from_image(Image.blend(base, noise, 0.5))))
        output.mux(video.encode(None))
        total = 48000 * SOURCE_FRAMES // FPS
        for start in range(0, total, 1024):
            count = min(1024, total - start)
            tone = [0.2 * math.sin(2 * math.pi * 440 * (start + i) / 48000) for i in range(count)]
            frame = av.AudioFrame(format="flt", layout="mono", samples=count)
            frame.planes[0].update(struct.pack(f"<{count}f", *tone))
            frame.sample_rate, frame.pts, frame.time_base = 48000, start, Fraction(1, 48000)
            output.mux(audio.encode(frame))
        output.mux(audio.encode(None))


def remux_large(source: Path, target: Path, size: int) -> tuple[int, float]:
    """The packets of ``source`` again and again, timestamps running on, until ``target`` has ``size`` bytes."""
    import av

    with av.open(str(source)) as container:
        packets = {stream.index: [] for stream in container.streams}
        spans = {}
        for packet in container.demux():
            if packet.size:
                packets[packet.stream.index].append((packet.pts, packet.dts, packet.duration, bytes(packet),
                                                     packet.is_keyframe))  # fmt: skip
        for stream in container.streams:
            last = packets[stream.index][-1]
            spans[stream.index] = last[0] + last[2] - packets[stream.index][0][0]
        with av.open(str(target), "w", format="mp4") as output:
            streams = {s.index: output.add_stream_from_template(s) for s in container.streams}
            written, loops = 0, 0
            while written < size:
                for index, items in packets.items():
                    for pts, dts, duration, data, key in items:
                        packet = av.Packet(data)
                        packet.stream = streams[index]
                        packet.time_base = container.streams[index].time_base
                        packet.pts, packet.dts = pts + loops * spans[index], dts + loops * spans[index]
                        packet.duration, packet.is_keyframe = duration, key
                        output.mux(packet)
                        written += len(data)
                loops += 1
    seconds = loops * SOURCE_FRAMES / FPS
    return loops, seconds


INGEST_CHILD = """
import json, os, sys
import django
django.setup()
from rongmei.archive.ingest import ingest_file
from rongmei.core import bootstrap
if sys.argv[2] == "migrate":
    bootstrap.migrate()
from huey.contrib.djhuey import HUEY
result = ingest_file(sys.argv[1], original_name=os.path.basename(sys.argv[1]))
# VmHWM, not ru_maxrss: after fork and exec, ru_maxrss still counts the parent's peak.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"asset": result.asset.pk, "maxrss_kb": hwm}))
"""


def ingest_in_child(data_dir: Path, path: Path, migrate: bool) -> dict:
    env = child_env(data_dir, DJANGO_SETTINGS_MODULE="rongmei.settings")
    command = [sys.executable, "-c", INGEST_CHILD, str(path), "migrate" if migrate else "-"]
    result = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def start_worker(data_dir: Path, log: Path):
    import django

    os.environ.update(child_env(data_dir, DJANGO_SETTINGS_MODULE="rongmei.settings"))
    django.setup()
    from rongmei.core.tasks import seconds_since_heartbeat

    command = [sys.executable, "-m", "rongmei", "worker", "--workers", "2"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=child_env(data_dir), cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while (age := seconds_since_heartbeat()) is None or age > 30:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the worker did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.1)
    time.sleep(2)  # let it settle (its first periodic tasks)
    return process


def descendants_of(pid: int) -> list[int]:
    """Children, grandchildren…: the worker's processes and the transcoders they start."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            for child in (int(c) for c in (task / "children").read_text().split()):
                found += [child, *descendants_of(child)]
    return found


def wait_ready(asset_id: int, worker, timeout: float = 3600) -> tuple[str, list[int], float, dict[int, int]]:
    """Polls every 0.2 s until the asset is no longer processing; samples the
    worker's RSS, and the peak (VmHWM) of each child it starts (the transcoder)."""
    from rongmei.archive.models import Asset

    samples, children, started = [], {}, time.monotonic()
    while True:
        status = Asset.objects.filter(pk=asset_id).values_list("status", flat=True).first()
        samples.append(status_kb(worker.pid, "VmRSS"))
        for child in descendants_of(worker.pid):
            with contextlib.suppress(OSError, StopIteration):
                command = Path(f"/proc/{child}/cmdline").read_bytes()
                label = "transcoder" if b"rongmei.archive.transcode" in command else "worker process"
                children[child] = (label, max(children.get(child, ("", 0))[1], status_kb(child, "VmHWM")))
        if status != "processing" or time.monotonic() - started > timeout or worker.poll() is not None:
            return status, samples, time.monotonic() - started, children
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gib", type=float, default=4.0, help="size of the video in GiB (default 4)")
    args = parser.parse_args()
    stop_on_sigterm()

    with temp_data_dir("large-video") as root:
        data_dir = root / "data"
        source, big, clip = root / "source.mp4", root / "camera_4k_all_intra.mp4", root / "clip.mp4"
        started = time.perf_counter()
        encode_source(source)
        loops, seconds = remux_large(source, big, int(args.gib * 2**30))
        size = big.stat().st_size
        source.unlink()
        print(f"video: {size / 2**30:.2f} GiB, {WIDTH}x{HEIGHT} H.264 all-intra + AAC, {seconds:.0f} s "
              f"({loops} copies of 1 s), generated in {time.perf_counter() - started:.0f} s")  # fmt: skip

        from rongmei.archive import samples

        samples.video(clip, seconds=2, width=320, height=240)
        baseline_ingest = ingest_in_child(data_dir, clip, migrate=True)
        worker = start_worker(data_dir, root / "worker.log")
        try:
            idle_kb = status_kb(worker.pid, "VmHWM")
            status, _, _, _ = wait_ready(baseline_ingest["asset"], worker, 120)
            small_kb = status_kb(worker.pid, "VmHWM")
            started = time.perf_counter()
            ingest = ingest_in_child(data_dir, big, migrate=False)
            ingest_s = time.perf_counter() - started
            status, curve, render_s, children = wait_ready(ingest["asset"], worker)
            worker_kb = status_kb(worker.pid, "VmHWM")
        finally:
            stop(worker, signal.SIGINT)
        from rongmei.archive.models import Asset

        asset = Asset.objects.get(pk=ingest["asset"])
        kinds = sorted(asset.renditions.values_list("kind", flat=True))
        proxy = asset.rendition("proxy") if "proxy" in kinds else None
        log_tail = (root / "worker.log").read_text(errors="replace")[-2000:]

    mb = 1024 / 1e6  # kB (KiB) to MB
    if status != "ready" or kinds != ["poster", "proxy", "strip", "thumbnail"]:
        print(f"INVALID: status {status}, renditions {kinds}, {asset.processing_error}\n{log_tail}")
        print(f"(until then: ingest peak {ingest['maxrss_kb'] * mb:.0f} MB, worker peak {worker_kb * mb:.0f} MB, "
              f"idle worker {idle_kb * mb:.0f} MB)")  # fmt: skip
        return 2
    ingest_mb, worker_mb = ingest["maxrss_kb"] * mb, worker_kb * mb
    print(f"ingest process (hash, metadata, copy): {ingest_s:.0f} s, peak RSS {ingest_mb:.0f} MB "
          f"(baseline, a 2-second clip: {baseline_ingest['maxrss_kb'] * mb:.0f} MB)")  # fmt: skip
    print(f"worker (poster, strip, thumbnail, {proxy.width}x{proxy.height} proxy of {proxy.size / 1e6:.0f} MB): "
          f"{render_s:.0f} s, peak RSS {worker_mb:.0f} MB (VmHWM)")  # fmt: skip
    median_kb = sorted(curve)[len(curve) // 2]
    print(f"  worker baseline: idle {idle_kb * mb:.0f} MB, after a 2-second clip {small_kb * mb:.0f} MB; "
          f"RSS sampled while rendering: max {max(curve) * mb:.0f} MB, median {median_kb * mb:.0f} MB")  # fmt: skip
    child_mb = max((peak for _, peak in children.values()), default=0) * mb
    for label in ("worker process", "transcoder"):
        peaks = sorted(peak * mb for kind, peak in children.values() if kind == label)
        shown = ", ".join(f"{peak:.0f} MB" for peak in peaks) or "not seen (it ended between two samples)"
        print(f"  {label}{'es' if label.endswith('s') else 's'} below it, peak RSS each: {shown}")
    print(f"  video {asset.width}x{asset.height}, {asset.duration:.1f} s, {asset.video_codec}/{asset.audio_codec}")
    peak = max(ingest_mb, worker_mb, child_mb)
    print(f"goal peak RSS < {GOAL_MB:.0f} MB: {verdict(peak < GOAL_MB)} ({peak:.0f} MB)")
    return 0 if peak < GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
