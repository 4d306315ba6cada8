"""Ingest once: type from content, metadata, renditions by the worker,
duplicates linked, bad files refused with a reason and nothing left behind."""

import datetime
import hashlib
import io
import os

import pytest
from PIL import Image

from rongmei.archive import samples
from rongmei.archive.ingest import IngestError, ingest_file
from rongmei.archive.models import Asset, Rendition, archive_storage
from rongmei.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    root = archive_storage().location
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, files in os.walk(root) for f in files)


def test_a_photo_gets_its_exif_and_renditions_and_the_original_is_kept_intact(
    write, django_capture_on_commit_callbacks
):
    data = samples.photo(
        1200, 900, seed=3, orientation=6, taken=datetime.datetime(2024, 10, 1, 20, 5), camera=("Nikon", "Z 8")
    )
    path = write("国庆晚会.jpg", data)
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest_file(
            path, original_name="国庆晚会.jpg", catalogue={"title": "国庆晚会", "people": "张三、李四"}
        )
    asset = Asset.objects.get(pk=result.asset.pk)
    assert (asset.kind, asset.mime_type, asset.status) == ("photo", "image/jpeg", "ready")
    # EXIF orientation 6 is a portrait shot held sideways: dimensions are as seen.
    assert (asset.width, asset.height, asset.orientation) == (900, 1200, "portrait")
    assert asset.taken_at.astimezone(datetime.UTC).replace(tzinfo=None) == datetime.datetime(2024, 10, 1, 12, 5)
    assert asset.date == datetime.date(2024, 10, 1)
    assert (asset.camera, asset.lens) == ("Nikon Z 8", "RF24-105mm F4 L IS USM")
    assert asset.latitude == pytest.approx(39.9137, abs=1e-4) and asset.longitude == pytest.approx(116.366, abs=1e-4)
    assert sorted(asset.people.values_list("name", flat=True)) == ["张三", "李四"]
    web = asset.rendition("web")
    with web.file.open("rb") as handle, Image.open(handle) as image:
        assert image.height > image.width  # orientation applied
    assert asset.rendition("thumbnail").width <= 360
    with asset.original.open("rb") as handle:
        assert handle.read() == data
    assert asset.sha256 == hashlib.sha256(data).hexdigest()
    assert AuditEntry.objects.filter(action="archive.asset.ingest", object_id=str(asset.pk)).exists()


def test_renditions_made_again_replace_the_earlier_ones(write, django_capture_on_commit_callbacks):
    """A retried task makes the renditions again: one of each kind remains, and
    the earlier files are gone from the store."""
    from rongmei.archive.actions import build_renditions

    path = write("会场.jpg", samples.photo(2400, 1600, seed=5))
    with django_capture_on_commit_callbacks(execute=True):
        asset = ingest_file(path, original_name="会场.jpg").asset
    first = {r.kind: r.file.name for r in asset.renditions.all()}
    assert set(first) == {"thumbnail", "web"}
    assert build_renditions(asset).status == "ready"
    again = {r.kind: r.file.name for r in asset.renditions.all()}
    assert set(again) == {"thumbnail", "web"} and Rendition.objects.filter(asset=asset).count() == 2
    # The store never overwrites a name, so a replaced file is a new one: the old must be deleted.
    assert not set(first.values()) & set(again.values())
    assert [name for name in stored_files() if asset.sha256 in name and "renditions" in name] == sorted(again.values())
    with asset.rendition("web").file.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (2000, 1333)


def test_a_video_gets_codecs_duration_poster_strip_and_an_h264_proxy(small_video, django_capture_on_commit_callbacks):
    import av

    with django_capture_on_commit_callbacks(execute=True):
        asset = ingest_file(small_video, original_name="clip.mp4").asset
    asset.refresh_from_db()
    assert (asset.kind, asset.video_codec, asset.audio_codec) == ("video", "h264", "aac")
    assert asset.duration == pytest.approx(2.0, abs=0.1)
    assert (asset.width, asset.height, asset.frame_rate) == (320, 240, 25.0)
    assert asset.bitrate > 0
    assert {r.kind for r in asset.renditions.all()} == {"thumbnail", "poster", "strip", "proxy"}
    with asset.rendition("proxy").file.open("rb") as handle, av.open(handle) as proxy:
        assert proxy.streams.video[0].codec_context.name == "h264"
        assert proxy.streams.audio[0].codec_context.name == "aac"


def test_audio_and_documents_are_taken(write):
    audio = ingest_file(write("采访.wav", samples.audio_wav(seconds=1.5)), original_name="采访.wav").asset
    assert (audio.kind, audio.audio_codec, audio.duration) == ("audio", "pcm_s16le", pytest.approx(1.5, abs=0.01))
    document = ingest_file(write("通知.pdf", samples.pdf()), original_name="通知.pdf").asset
    assert (document.kind, document.mime_type) == ("document", "application/pdf")


def test_the_same_content_again_is_the_same_asset(write):
    data = samples.photo(400, 300, seed=5)
    before = stored_files()
    first = ingest_file(write("a.jpg", data), original_name="a.jpg")
    again = ingest_file(write("copy of a.jpg", data), original_name="copy of a.jpg")
    assert again.duplicate and again.asset.pk == first.asset.pk
    assert Asset.objects.count() == 1
    assert [f for f in stored_files() if f not in before] == [first.asset.original.name]
    assert AuditEntry.objects.get(action="archive.asset.duplicate").data["file"] == "copy of a.jpg"


def _bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (16_000, 16_000)).save(buffer, "PNG")  # 256 megapixels in ~30 KB
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("lies.jpg", lambda video: video.read_bytes(), "内容是 MP4"),
        ("cut.jpg", lambda video: samples.photo(800, 600, seed=1)[:20_000], "截断"),
        ("broken.mp4", lambda video: video.read_bytes()[:2000] + b"\x00" * 4000, "无法作为视频读取"),
        ("bomb.png", lambda video: _bomb(), "解压炸弹"),
        ("empty.jpg", lambda video: b"", "空文件"),
        ("setup.exe", lambda video: b"MZ\x90\x00" + b"\x00" * 500, "不支持的文件类型"),
    ],
)
def test_a_bad_file_is_refused_in_plain_words_and_leaves_nothing(write, small_video, name, make, reason):
    kept = ingest_file(write("kept.jpg", samples.photo(300, 200, seed=2)), original_name="kept.jpg").asset
    before = stored_files()
    with pytest.raises(IngestError) as refused:
        ingest_file(write(name, make(small_video)), original_name=name)
    assert reason in refused.value.message
    assert list(Asset.objects.all()) == [kept]
    assert stored_files() == before
    assert not Rendition.objects.exclude(asset=kept).exists()
