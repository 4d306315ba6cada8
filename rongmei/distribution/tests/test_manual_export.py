"""The export package of a channel published by hand (视频号): the video,
the cover, the text, the subtitles and a manifest naming the delivery;
downloaded only by operators, and audited."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from rongmei.archive.actions import build_renditions
from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.distribution.channels.manual import write_export_package

pytestmark = pytest.mark.django_db


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def package(delivery) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_export_package(delivery, buffer)
    return zipfile.ZipFile(buffer)


def test_the_package_holds_the_video_cover_subtitles_text_and_manifest(make_channel, make_delivery, photo, video):
    delivery = make_delivery(make_channel("wechat_channels"))
    payload = delivery.payload
    archive = package(delivery)
    assert sorted(archive.namelist()) == ["cover.jpg", "manifest.json", "subtitles.srt", "text.txt", "video.mp4"]
    assert archive.read("video.mp4") == read(video.original)
    assert archive.read("cover.jpg") == read(photo.original)
    assert archive.read("subtitles.srt").decode().strip() == payload["data"]["srt"].strip()
    text = archive.read("text.txt").decode()
    assert payload["title"] in text and all(tag in text for tag in payload["data"]["hashtags"])
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["idempotency_key"] == str(delivery.idempotency_key)
    assert manifest["channel"]["kind"] == "wechat_channels" and manifest["title"] == payload["title"]
    assert manifest["description"] == payload["summary"] and manifest["hashtags"] == payload["data"]["hashtags"]
    assert manifest["subtitles"] == "subtitles.srt"
    assert manifest["video"]["sha256"] == video.sha256 and manifest["cover"]["sha256"] == photo.sha256


def test_without_a_chosen_cover_the_videos_poster_frame_is_the_cover(make_channel, make_delivery, video):
    build_renditions(video)
    delivery = make_delivery(make_channel("wechat_channels"), cover=None)
    assert package(delivery).read("cover.jpg") == read(video.rendition("poster").file)


def test_only_operators_download_the_package_and_each_download_is_audited(
    client, make_channel, make_delivery, newsroom
):
    delivery = make_delivery(make_channel("wechat_channels"))
    url = reverse("distribution_manual:export_package", args=[delivery.pk])
    client.force_login(newsroom[roles.REPORTER])
    assert client.get(url).status_code in (302, 403)  # under /admin/, Wagtail redirects a refusal
    assert not AuditEntry.objects.filter(action="distribution.delivery.export").exists()

    client.force_login(newsroom[roles.OPERATOR])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("manifest.json"))["delivery"] == delivery.pk
    entry = AuditEntry.objects.get(action="distribution.delivery.export")
    assert entry.actor == newsroom[roles.OPERATOR] and entry.object_id == str(delivery.pk)
