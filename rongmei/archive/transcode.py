"""Video renditions, run as a child process of the worker:

    python -m rongmei.archive.transcode SOURCE OUTDIR [--duration SECONDS]

writes ``poster.jpg``, ``strip.jpg``, ``thumbnail.jpg`` and ``proxy.mp4`` to
OUTDIR and prints one JSON line ``{kind: [file name, width, height]}``.
It imports PyAV and Pillow only (no Django), and reads and writes frame by
frame, so its memory stays flat whatever the length of the video.

- poster: the keyframe at a tenth of the duration, at most 1600 px;
- strip: up to 8 keyframes spread over the video, 90 px high, side by side;
- thumbnail: the poster at most 360 px;
- proxy: H.264 (CRF 26, at most 720 px high, constant frame rate) and AAC
  stereo 48 kHz, ``+faststart`` so it plays while it downloads.
"""

import argparse
import io
import json
import sys
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageOps

POSTER_PX = 1600
THUMBNAIL_PX = 360
STRIP_FRAMES = 8
STRIP_HEIGHT = 90
PROXY_MAX_HEIGHT = 720
PROXY_CRF = "26"
DECODE_THREADS = 2


def _jpeg(image: Image.Image, path: Path, quality: int = 82) -> None:
    buffer = io.BytesIO()
    (image if image.mode == "RGB" else image.convert("RGB")).save(buffer, "JPEG", quality=quality)
    path.write_bytes(buffer.getvalue())


def _still(frame) -> Image.Image:
    """A decoded frame as a picture no larger than the poster, scaled by
    libswscale straight from the decoder's YUV (no full-size RGB copy)."""
    scale = min(1.0, POSTER_PX / max(frame.width, frame.height))
    if scale == 1.0:
        return frame.to_image()
    width, height = max(1, round(frame.width * scale)), max(1, round(frame.height * scale))
    return frame.to_image(width=width, height=height, interpolation="BILINEAR")


def _fit(image: Image.Image, box: int) -> Image.Image:
    image = image.copy()
    image.thumbnail((box, box), Image.Resampling.BILINEAR)
    return image


def stills(source: Path, outdir: Path, duration: float | None) -> dict:
    keyframes = []
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        stream.codec_context.skip_frame = "NONKEY"
        targets = [duration * (i + 0.5) / STRIP_FRAMES for i in range(STRIP_FRAMES)] if duration else [0]
        for target in targets:
            if target and stream.time_base:
                container.seek(int(target / stream.time_base), stream=stream, backward=True, any_frame=False)
            for frame in container.decode(stream):
                keyframes.append(_still(frame))
                break
    if not keyframes:
        raise SystemExit("no frame could be decoded")
    poster_frame = keyframes[min(len(keyframes) - 1, round(len(keyframes) * 0.1))]
    poster, thumbnail = _fit(poster_frame, POSTER_PX), _fit(poster_frame, THUMBNAIL_PX)
    thumbs = [ImageOps.contain(frame, (STRIP_HEIGHT * 4, STRIP_HEIGHT)) for frame in keyframes]
    strip = Image.new("RGB", (sum(t.width for t in thumbs), STRIP_HEIGHT))
    x = 0
    for thumb in thumbs:
        strip.paste(thumb, (x, (STRIP_HEIGHT - thumb.height) // 2))
        x += thumb.width
    _jpeg(poster, outdir / "poster.jpg")
    _jpeg(strip, outdir / "strip.jpg", 75)
    _jpeg(thumbnail, outdir / "thumbnail.jpg", 78)
    return {
        "poster": ["poster.jpg", poster.width, poster.height],
        "strip": ["strip.jpg", strip.width, strip.height],
        "thumbnail": ["thumbnail.jpg", thumbnail.width, thumbnail.height],
    }


def proxy(source: Path, outdir: Path) -> dict:
    """Frames get their time stamps from a counter at the output's constant
    rate (and audio from its sample count): a source with gaps, jumps or
    variable frame rate still gives a proxy whose stamps only go forward."""
    target = outdir / "proxy.mp4"
    with (
        av.open(str(source)) as src,
        av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        video_in = src.streams.video[0]
        video_in.thread_type = "AUTO"
        video_in.thread_count = DECODE_THREADS
        width, height = video_in.codec_context.width, video_in.codec_context.height
        if height > PROXY_MAX_HEIGHT:
            width, height = round(width * PROXY_MAX_HEIGHT / height), PROXY_MAX_HEIGHT
        width, height = width - width % 2, height - height % 2
        rate = video_in.average_rate or video_in.guessed_rate or Fraction(25)
        if rate > 60:
            rate = Fraction(60)
        # Frames are stamped in 1/rate; the muxer changes the stream's own
        # time base when it writes the header, so it is not read back.
        frame_time = 1 / Fraction(rate)
        video_out = out.add_stream("libx264", rate=rate)
        video_out.width, video_out.height, video_out.pix_fmt = width, height, "yuv420p"
        video_out.time_base = frame_time
        video_out.options = {"crf": PROXY_CRF, "preset": "veryfast", "threads": str(DECODE_THREADS)}
        audio_in = next(iter(src.streams.audio), None)
        audio_out = resampler = None
        if audio_in is not None:
            audio_out = out.add_stream("aac", rate=48000, layout="stereo")
            resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
        frames = samples = 0
        for packet in src.demux(*[s for s in (video_in, audio_in) if s is not None]):
            if packet.stream is video_in:
                for frame in packet.decode():
                    frame = frame.reformat(width=width, height=height, format="yuv420p")
                    frame.pts, frame.time_base = frames, frame_time
                    frames += 1
                    out.mux(video_out.encode(frame))
            elif audio_out is not None:
                for frame in packet.decode():
                    for chunk in resampler.resample(frame):
                        chunk.pts, chunk.time_base = samples, Fraction(1, 48000)
                        samples += chunk.samples
                        out.mux(audio_out.encode(chunk))
        out.mux(video_out.encode(None))
        if audio_out is not None:
            for chunk in resampler.resample(None):
                chunk.pts, chunk.time_base = samples, Fraction(1, 48000)
                samples += chunk.samples
                out.mux(audio_out.encode(chunk))
            out.mux(audio_out.encode(None))
    return {"proxy": ["proxy.mp4", width, height]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--duration", type=float, default=None)
    args = parser.parse_args(argv)
    try:
        made = {**stills(args.source, args.outdir, args.duration), **proxy(args.source, args.outdir)}
    except (av.error.FFmpegError, OSError, ValueError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(made))
    return 0


if __name__ == "__main__":
    sys.exit(main())
