"""Visitors get the renditions of the pictures and videos that live pages
show, and nothing else of the archive."""

import pytest

from rongmei.archive.models import Security

pytestmark = pytest.mark.django_db


def test_a_live_pages_picture_and_video_are_served(client, article, photo, video):
    picture = client.get(f"/site-media/{photo.pk}/web")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert b"".join(picture.streaming_content) == photo.rendition("web").file.open("rb").read()
    clip = client.get(f"/site-media/{video.pk}/proxy", HTTP_RANGE="bytes=0-99")
    assert clip.status_code == 206 and clip["Content-Range"].startswith("bytes 0-99/")
    assert len(b"".join(clip.streaming_content)) == 100


def test_originals_and_unused_assets_are_not_served(client, article, photo, video, make_article):
    assert client.get(f"/site-media/{photo.pk}/original").status_code == 404
    article.unpublish()
    assert client.get(f"/site-media/{photo.pk}/web").status_code == 404
    assert client.get(f"/site-media/{video.pk}/poster").status_code == 404


def test_an_asset_for_named_staff_only_is_never_served(client, article, photo):
    photo.security = Security.RESTRICTED
    photo.save()
    assert client.get(f"/site-media/{photo.pk}/web").status_code == 404
