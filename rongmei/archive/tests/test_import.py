"""Bulk import of a folder or a zip: each file on its own, failures reported
with their reasons, never stopping the rest; hostile zips refused."""

import zipfile

import pytest

from rongmei.archive import samples
from rongmei.archive.importer import import_path
from rongmei.archive.models import Asset, Event

pytestmark = pytest.mark.django_db


def test_a_folder_imports_what_it_can_and_says_why_the_rest_failed(tmp_path, write, small_video):
    write("folder/a.jpg", samples.photo(600, 400, seed=1))
    write("folder/sub/b.jpg", samples.photo(600, 400, seed=2))
    write("folder/again.jpg", samples.photo(600, 400, seed=1))
    write("folder/empty.jpg", b"")
    write("folder/lies.jpg", small_video.read_bytes())
    write("folder/.DS_Store", b"\x00\x00\x00\x01Bud1")
    report = import_path(tmp_path / "folder", catalogue={"event": "国庆75周年大直播", "photographer": "王晓"})
    assert sorted(report.imported) == ["a.jpg", "sub/b.jpg"]
    assert [name for name, _ in report.duplicates] == ["again.jpg"]
    assert sorted(name for name, _ in report.failed) == ["empty.jpg", "lies.jpg"]
    event = Event.objects.get(name="国庆75周年大直播")
    assert set(Asset.objects.values_list("event", "photographer")) == {(event.pk, "王晓")}


def test_a_hostile_zip_loses_only_its_bad_members(tmp_path):
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../etc/escape.jpg", samples.photo(300, 200, seed=3))
        archive.writestr("/abs/escape.jpg", samples.photo(300, 200, seed=4))
        archive.writestr("bomb.jpg", b"\x00" * (64 * 1024 * 1024))
        archive.writestr("photos/good.jpg", samples.photo(300, 200, seed=5))
    report = import_path(path)
    assert report.imported == ["photos/good.jpg"]
    reasons = dict(report.failed)
    assert "压缩包之外" in reasons["../../etc/escape.jpg"]
    assert "压缩包之外" in reasons["/abs/escape.jpg"]
    assert "压缩炸弹" in reasons["bomb.jpg"]
    assert not (tmp_path.parent / "etc").exists()
    assert Asset.objects.count() == 1


def test_a_zip_whose_header_lies_about_the_size_is_stopped_at_the_declared_size(tmp_path):
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("big.jpg", samples.photo(300, 200, seed=6))
    data = bytearray(path.read_bytes())
    # Shrink the declared uncompressed size in the central directory to 100 bytes.
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    report = import_path(path)
    assert report.imported == []
    assert [name for name, _ in report.failed] == ["big.jpg"]
    assert Asset.objects.count() == 0
