"""Assets in the story editor: the "Assets" tab with its chooser; an asset
whose rights expired needs a written reason, and each new attachment is
audited."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from rongmei.archive import samples
from rongmei.archive.ingest import ingest_file
from rongmei.archive.models import Security, StoryAsset
from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.stories import actions as story_actions
from rongmei.stories.models import Story
from rongmei.stories.tests.conftest import editor_form

pytestmark = pytest.mark.django_db
EDIT = "wagtailsnippets_stories_story:edit"
EXPIRED_ON = datetime.date.today() - datetime.timedelta(days=30)


@pytest.fixture
def assets(write):
    def add(name, seed, **catalogue):
        path = write(name, samples.photo(120, 90, seed=seed))
        return ingest_file(path, original_name=name, catalogue=catalogue).asset

    return {
        "expired": add("expired.jpg", 1, title="授权过期的照片", rights="licensed", rights_expire_on=EXPIRED_ON),
        "own": add("own.jpg", 2, title="本单位拍摄的照片"),
        "secret": add("secret.jpg", 3, title="限定人员的照片", security=Security.RESTRICTED),
    }


@pytest.fixture
def story(role_users):
    return story_actions.create_story(author=role_users[roles.REPORTER], title="养老驿站开张")


def with_assets(data: dict, *rows) -> dict:
    """The editor's POST data with new rows in the Assets tab: (asset, reason)."""
    data = dict(data)
    start = data["attached_assets-TOTAL_FORMS"]
    for offset, (asset, reason) in enumerate(rows):
        i = start + offset
        data.update(
            {
                f"attached_assets-{i}-id": "",
                f"attached_assets-{i}-asset": asset.pk,
                f"attached_assets-{i}-rights_override_reason": reason,
                f"attached_assets-{i}-ORDER": i + 1,
                f"attached_assets-{i}-DELETE": "",
            }
        )
    data["attached_assets-TOTAL_FORMS"] = start + len(rows)
    return data


def test_the_editor_has_an_assets_tab_with_the_chooser(client, role_users, story):
    client.force_login(role_users[roles.REPORTER])
    page = client.get(reverse(EDIT, args=[story.pk])).content.decode()
    with override("zh-hans"):
        tab = gettext("Assets")
    assert tab in page
    assert "attached_assets-TOTAL_FORMS" in page
    assert reverse("archive_asset_chooser:choose") in page


def test_an_expired_asset_is_refused_without_a_reason_and_accepted_and_audited_with_one(
    client, role_users, story, assets
):
    reporter = role_users[roles.REPORTER]
    client.force_login(reporter)
    url = reverse(EDIT, args=[story.pk])
    response = client.post(url, with_assets(editor_form(story), (assets["expired"], "  ")))
    assert response.status_code == 200
    child = response.context["form"].formsets["attached_assets"].forms[0]
    with override("zh-hans"):
        expected = gettext(
            "The usage rights of this asset expired on %(date)s. Write why it may be used anyway; "
            "the reason is audited."
        ) % {"date": EXPIRED_ON}
    assert child.errors["rights_override_reason"] == [expected]
    assert expected in response.content.decode()
    assert not StoryAsset.objects.exists()
    assert not AuditEntry.objects.filter(action="archive.asset.attach").exists()

    reason = "区委宣传部同意再次使用（电话确认）"
    response = client.post(url, with_assets(editor_form(story), (assets["expired"], reason), (assets["own"], "")))
    assert response.status_code == 302
    story = Story.objects.get(pk=story.pk)
    links = {link.asset_id: link.rights_override_reason for link in story.attached_assets.all()}
    assert links == {assets["expired"].pk: reason, assets["own"].pk: ""}
    assert {link.asset_id for link in story.latest_revision.as_object().attached_assets.all()} == set(links)
    entries = {e.object_id: e for e in AuditEntry.objects.filter(action="archive.asset.attach")}
    assert set(entries) == {str(assets["expired"].pk), str(assets["own"].pk)}
    assert entries[str(assets["expired"].pk)].data == {"story": story.pk, "rights_override": reason}
    assert entries[str(assets["own"].pk)].data == {"story": story.pk}
    assert all(entry.actor == reporter for entry in entries.values())

    # Saving again with the same assets attaches nothing new.
    assert client.post(url, editor_form(story, summary="改了摘要")).status_code == 302
    assert AuditEntry.objects.filter(action="archive.asset.attach").count() == 2
    # The asset's page lists the story.
    page = client.get(reverse("archive:asset", args=[assets["expired"].pk])).content.decode()
    assert reverse(EDIT, args=[story.pk]) in page and reason in page


def test_a_new_story_with_an_asset_is_audited(client, role_users, assets):
    editor = role_users[roles.EDITOR]
    client.force_login(editor)
    data = editor_form(Story(title="新稿件"), title="新稿件：国庆之夜")
    response = client.post(reverse("wagtailsnippets_stories_story:add"), with_assets(data, (assets["own"], "")))
    assert response.status_code == 302
    story = Story.objects.get(title="新稿件：国庆之夜")
    entry = AuditEntry.objects.get(action="archive.asset.attach")
    assert (entry.object_id, entry.data, entry.actor) == (str(assets["own"].pk), {"story": story.pk}, editor)


def test_an_asset_the_user_may_not_see_cannot_be_attached(client, role_users, story, assets):
    client.force_login(role_users[roles.REPORTER])
    response = client.post(reverse(EDIT, args=[story.pk]), with_assets(editor_form(story), (assets["secret"], "")))
    assert response.status_code == 200
    assert "asset" in response.context["form"].formsets["attached_assets"].forms[0].errors
    assert not StoryAsset.objects.exists()


def test_the_chooser_lists_and_searches_only_visible_assets(client, role_users, assets):
    client.force_login(role_users[roles.REPORTER])
    response = client.get(reverse("archive_asset_chooser:choose"))
    html = json.loads(response.content)["html"]
    assert "本单位拍摄的照片" in html and "授权过期的照片" in html and "限定人员的照片" not in html
    results = client.get(reverse("archive_asset_chooser:choose_results"), {"q": "本单位"}).content.decode()
    assert "本单位拍摄的照片" in results and "授权过期的照片" not in results
    assert client.get(reverse("archive_asset_chooser:chosen", args=[assets["secret"].pk])).status_code == 404
    chosen = json.loads(client.get(reverse("archive_asset_chooser:chosen", args=[assets["expired"].pk])).content)
    assert chosen["result"]["id"] == str(assets["expired"].pk)
    assert chosen["result"]["edit_url"] == reverse("archive:asset", args=[assets["expired"].pk])
    assert str(EXPIRED_ON) in chosen["result"]["title"]
