"""One asset's page: preview, technical metadata, the catalogue form with
suggested keywords, where it is used, and the download of the original."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from rongmei.archive import actions, samples
from rongmei.archive.ingest import ingest_file
from rongmei.archive.models import Asset, Event
from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.stories import actions as story_actions

pytestmark = pytest.mark.django_db
CAPTION = "西城区融媒体中心记者在金融街采访接诉即办工作，区领导慰问一线工作人员"


@pytest.fixture
def photo(write):
    path = write("金融街.jpg", samples.photo(800, 600, seed=11, camera=("Nikon", "Z 8")))
    asset = ingest_file(path, original_name="金融街.jpg", catalogue={"title": "金融街采访", "caption": CAPTION}).asset
    return actions.build_renditions(asset)


def form_data(asset, **changes) -> dict:
    data = {
        "title": asset.title,
        "caption": asset.caption,
        "event": "",
        "date": "",
        "location": "",
        "people": "",
        "organisations": "",
        "photographer": "",
        "keywords": "",
        "category": "",
        "rights": asset.rights,
        "rights_holder": "",
        "rights_expire_on": "",
        "security": asset.security,
        "collection": asset.collection_id,
    }
    data.update(changes)
    return data


def test_the_page_shows_preview_metadata_download_and_suggested_keywords(client, role_users, photo):
    client.force_login(role_users[roles.REPORTER])
    response = client.get(reverse("archive:asset", args=[photo.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'src="{reverse("archive:file", args=[photo.pk, "web"])}"' in page
    assert "800 × 600" in page and "Z 8" in page and photo.sha256 in page
    assert f'href="{reverse("archive:file", args=[photo.pk, "original"])}?download=1"' in page
    chips = re.findall(r'data-keyword="([^"]+)"', page)
    assert "融媒体中心" in chips and "接诉即办" in chips and "金融街" in chips  # newsroom words, whole
    assert chips == response.context["suggested"] and len(chips) <= 8


def test_saving_the_catalogue_goes_through_catalogue_edit_and_is_audited(client, role_users, photo):
    editor = role_users[roles.EDITOR]
    client.force_login(editor)
    url = reverse("archive:asset", args=[photo.pk])
    changes = form_data(
        photo,
        title="金融街的采访",
        event="2024金融街论坛",
        date="2024-11-05",
        people="张三，李四",
        keywords="融媒体中心，接诉即办",
        photographer="王晓",
        rights="licensed",
        rights_holder="新华社",
        rights_expire_on="2030-12-31",
    )
    response = client.post(url, changes)
    assert (response.status_code, response["Location"]) == (302, url)
    asset = Asset.objects.get(pk=photo.pk)
    assert (asset.title, asset.event.name, str(asset.date)) == ("金融街的采访", "2024金融街论坛", "2024-11-05")
    assert sorted(p.name for p in asset.people.all()) == ["张三", "李四"]
    assert set(asset.keywords.names()) == {"融媒体中心", "接诉即办"}
    assert (asset.rights, asset.rights_holder, str(asset.rights_expire_on)) == ("licensed", "新华社", "2030-12-31")
    entry = AuditEntry.objects.get(action="archive.asset.catalogue", object_id=str(asset.pk))
    assert entry.actor == editor

    # The keywords already given are no longer suggested.
    page = client.get(url)
    assert "融媒体中心" not in page.context["suggested"] and "接诉即办" not in page.context["suggested"]
    # The existing event is found by its name again, not created twice.
    client.post(url, form_data(asset, title="金融街的采访", event="2024金融街论坛"))
    assert Event.objects.filter(name="2024金融街论坛").count() == 1


def test_a_bad_value_is_refused_on_its_field_and_nothing_is_saved(client, role_users, photo):
    client.force_login(role_users[roles.EDITOR])
    url = reverse("archive:asset", args=[photo.pk])
    response = client.post(url, form_data(photo, title="新标题", rights_expire_on="2024-02-30"))
    assert response.status_code == 200
    with override("zh-hans"):
        error = gettext("“%(value)s” is not a date; write it as 2024-10-01.") % {"value": "2024-02-30"}
    assert response.context["form"].errors["rights_expire_on"] == [error]
    assert error in response.content.decode()
    assert Asset.objects.get(pk=photo.pk).title == "金融街采访"
    response = client.post(url, form_data(photo, title="<b>粗体</b>标题"))
    assert "title" in response.context["form"].errors
    assert not AuditEntry.objects.filter(action="archive.asset.catalogue").exists()


def test_a_reader_sees_the_form_disabled_and_cannot_post_it(client, role_users, photo):
    client.force_login(role_users[roles.REVIEW_1])
    url = reverse("archive:asset", args=[photo.pk])
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="title"[^>]*disabled', page)
    response = client.post(url, form_data(photo, title="改"))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Asset.objects.get(pk=photo.pk).title == "金融街采访"


def test_the_page_lists_the_stories_that_use_the_asset(client, role_users, photo):
    reporter = role_users[roles.REPORTER]
    story = story_actions.create_story(author=reporter, title="金融街上的接诉即办")
    actions.attach_to_story(story, photo, user=reporter)
    client.force_login(reporter)
    page = client.get(reverse("archive:asset", args=[photo.pk])).content.decode()
    link = reverse("wagtailsnippets_stories_story:edit", args=[story.pk])
    assert f'<a href="{link}">金融街上的接诉即办</a>' in page


def test_video_and_audio_get_their_players(client, role_users, write, small_video):
    video = ingest_file(write("v.mp4", small_video.read_bytes()), original_name="v.mp4").asset
    actions.build_renditions(video)
    audio = ingest_file(write("a.wav", samples.audio_wav(seconds=1)), original_name="a.wav").asset
    client.force_login(role_users[roles.REPORTER])
    page = client.get(reverse("archive:asset", args=[video.pk])).content.decode()
    proxy, poster = (reverse("archive:file", args=[video.pk, kind]) for kind in ("proxy", "poster"))
    assert f'<video controls preload="metadata" src="{proxy}" poster="{poster}">' in page
    response = client.get(proxy)
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    page = client.get(reverse("archive:asset", args=[audio.pk])).content.decode()
    assert f'<source src="{reverse("archive:file", args=[audio.pk, "original"])}" type="audio/wav">' in page


def test_keyword_suggestions_for_a_caption_being_written(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    response = client.post(reverse("archive:keywords"), {"text": "京津冀异地康养：西城老人在河北的养老服务驿站"})
    assert response.status_code == 200
    assert "养老服务" in response.json()["keywords"]
    client.force_login(role_users[roles.FINANCE])
    assert client.post(reverse("archive:keywords"), {"text": "养老"}).status_code == 403
