"""Generated media: photos with EXIF, short videos and audio, made here
rather than shipped or downloaded. The demo loader, the tests and the
benchmarks use them."""

import datetime
import io
import math
import random
import struct
import wave
from fractions import Fraction

from PIL import Image, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational

# Xicheng district, near the Financial Street.
XICHENG = (39.9137, 116.3660)


def _rational(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = round((minutes_float - minutes) * 60 * 100)
    return (IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))


def photo(
    width: int = 1200,
    height: int = 800,
    *,
    seed: int = 0,
    taken: datetime.datetime | None = None,
    camera: tuple[str, str] = ("Canon", "Canon EOS R6"),
    lens: str = "RF24-105mm F4 L IS USM",
    gps: tuple[float, float] | None = XICHENG,
    orientation: int = 1,
    quality: int = 88,
    label: str = "",
) -> bytes:
    """A JPEG: a soft landscape-like picture with a label, and EXIF."""
    rng = random.Random(seed)  # noqa: S311 - picture content, not secrets
    small = Image.new("RGB", (64, 64))
    draw = ImageDraw.Draw(small)
    sky, ground = (
        (rng.randint(90, 160), rng.randint(140, 200), rng.randint(200, 255)),
        (rng.randint(60, 140), rng.randint(90, 160), rng.randint(40, 90)),
    )
    horizon = rng.randint(24, 44)
    draw.rectangle((0, 0, 64, horizon), fill=sky)
    draw.rectangle((0, horizon, 64, 64), fill=ground)
    for _ in range(6):
        x, y, r = rng.randint(0, 64), rng.randint(horizon - 10, 64), rng.randint(3, 10)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    image = small.resize((width, height), Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(2))
    # Grain, so the JPEG is as large as a real photo's.
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    image = Image.blend(image, noise, 0.12)
    if label:
        ImageDraw.Draw(image).text((width // 20, height // 20), label, fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = camera
    exif[0x0112] = orientation
    moment = (taken or datetime.datetime(2024, 10, 1, 9, 30)).strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0132] = moment
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = moment
    sub[0xA434] = lens
    sub[0x8827] = 200
    sub[0x829D] = IFDRational(4, 1)
    if gps:
        info = exif.get_ifd(0x8825)
        info[1], info[2] = ("N" if gps[0] >= 0 else "S"), _rational(abs(gps[0]))
        info[3], info[4] = ("E" if gps[1] >= 0 else "W"), _rational(abs(gps[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def video(
    path,
    *,
    seconds: float = 2.0,
    width: int = 320,
    height: int = 240,
    fps: int = 25,
    audio: bool = True,
    codec: str = "libx264",
    bit_rate: int | None = None,
) -> None:
    """An MP4 with moving colour bars and, optionally, a tone."""
    import av

    with av.open(str(path), "w", format="mp4") as output:
        stream = output.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        if bit_rate:
            stream.bit_rate = bit_rate
        if codec == "libx264":
            stream.options = {"preset": "ultrafast", "g": str(fps)}
        sound = output.add_stream("aac", rate=48000) if audio else None
        frames = int(seconds * fps)
        base = Image.new("RGB", (width, height))
        bars = ImageDraw.Draw(base)
        colours = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0), (192, 0, 192), (192, 0, 0), (0, 0, 192)]
        for i, colour in enumerate(colours):
            bars.rectangle((i * width // 7, 0, (i + 1) * width // 7, height), fill=colour)
        for n in range(frames):
            picture = base.copy()
            x = (n * 7) % width
            ImageDraw.Draw(picture).rectangle((x, height // 3, x + width // 10, 2 * height // 3), fill=(255, 255, 255))
            frame = av.VideoFrame.from_image(picture)
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
        if sound is not None:
            samples_per_frame = 1024
            total = int(seconds * 48000)
            for start in range(0, total, samples_per_frame):
                count = min(samples_per_frame, total - start)
                tone = [0.2 * math.sin(2 * math.pi * 440 * (start + i) / 48000) for i in range(count)]
                frame = av.AudioFrame(format="flt", layout="mono", samples=count)
                frame.planes[0].update(struct.pack(f"<{count}f", *tone))
                frame.sample_rate = 48000
                frame.pts = start
                frame.time_base = Fraction(1, 48000)
                output.mux(sound.encode(frame))
            output.mux(sound.encode(None))


def audio_wav(seconds: float = 1.0, frequency: float = 440.0, rate: int = 16000) -> bytes:
    """A mono 16-bit WAV tone."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(12000 * math.sin(2 * math.pi * frequency * i / rate)))
                for i in range(int(seconds * rate))
            )
        )
    return buffer.getvalue()


def pdf(text: str = "Rongmei") -> bytes:
    """A one-page PDF (written by hand: no PDF library needed)."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
