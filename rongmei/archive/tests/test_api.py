"""The archive through the API: upload, find with filters and facets,
catalogue one or many, usages, events, attach to a story."""

import datetime

import pytest

from rongmei.archive import samples
from rongmei.archive.ingest import ingest_file
from rongmei.archive.models import Asset, Security
from rongmei.core import roles
from rongmei.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(write, small_video):
    """Three photos and a video at two events, with people and rights."""

    def add(name, data, **catalogue):
        return ingest_file(write(name, data), original_name=name, catalogue=catalogue).asset

    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    return {
        "gala": add(
            "gala.jpg",
            samples.photo(600, 400, seed=1),
            title="国庆晚会现场",
            caption="西城区融媒体中心记者在国庆75周年大直播现场拍摄",
            event="国庆75周年大直播",
            people=["张三"],
            photographer="王晓",
        ),
        "portrait": add(
            "portrait.jpg",
            samples.photo(400, 600, seed=2),
            title="养老驿站老人",
            caption="京津冀异地康养老人在养老服务驿站",
            event="京津冀异地康养",
            photographer="李华",
            rights="licensed",
            rights_expire_on=yesterday,
        ),
        "secret": add("secret.jpg", samples.photo(500, 500, seed=3), title="内部会议", security=Security.RESTRICTED),
        "video": add(
            "clip.mp4", small_video.read_bytes(), title="直播片段", event="国庆75周年大直播", photographer="王晓"
        ),
    }


def test_upload_by_multipart_answers_201_then_200_for_the_same_content(client, api_headers, role_users, write):
    headers = api_headers(role_users[roles.REPORTER])
    data = samples.photo(500, 300, seed=9)
    first = client.post("/api/v1/assets", {"file": write("x.jpg", data).open("rb"), "title": "新闻图"}, **headers)
    assert first.status_code == 201 and first.json()["asset"]["title"] == "新闻图"
    again = client.post("/api/v1/assets", {"file": write("y.jpg", data).open("rb")}, **headers)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["asset"]["id"] == first.json()["asset"]["id"]
    lying = client.post("/api/v1/assets", {"file": write("z.mp4", data).open("rb")}, **headers)
    assert lying.status_code == 422 and "内容是 JPEG" in lying.json()["detail"]


def test_filters_facets_and_full_text(client, api_headers, role_users, archive):
    headers = api_headers(role_users[roles.EDITOR])

    def find(**params):
        answer = client.get("/api/v1/assets", params, **headers)
        assert answer.status_code == 200, answer.content
        return answer.json()

    everything = find()
    assert everything["total"] == 3  # the restricted asset is not for an editor
    kinds = {row["value"]: row["count"] for row in everything["facets"]["kind"]}
    assert kinds == {"photo": 2, "video": 1}
    assert {row["value"]: row["count"] for row in everything["facets"]["photographer"]} == {"王晓": 2, "李华": 1}
    assert [a["title"] for a in find(rights="expired")["items"]] == ["养老驿站老人"]
    assert [a["title"] for a in find(orientation="portrait")["items"]] == ["养老驿站老人"]
    assert {a["title"] for a in find(kind="video")["items"]} == {"直播片段"}
    person = archive["gala"].people.get()
    assert [a["title"] for a in find(person=person.pk)["items"]] == ["国庆晚会现场"]
    event = archive["gala"].event
    assert {a["title"] for a in find(event=event.pk)["items"]} == {"国庆晚会现场", "直播片段"}
    assert [a["title"] for a in find(q="融媒体")["items"]] == ["国庆晚会现场"]
    assert [a["title"] for a in find(q="养老")["items"]] == ["养老驿站老人"]
    bad = client.get("/api/v1/assets", {"date_from": "2024-13-01"}, **headers)
    assert bad.status_code == 422 and "2024-13-01" in bad.json()["detail"][0]


def test_restricted_assets_are_for_named_staff_only(client, api_headers, role_users, archive):
    secret = archive["secret"].pk
    assert client.get(f"/api/v1/assets/{secret}", **api_headers(role_users[roles.REPORTER])).status_code == 404
    assert client.get(f"/api/v1/assets/{secret}", **api_headers(role_users[roles.DIRECTOR])).status_code == 200
    assert client.get("/api/v1/assets", **api_headers(role_users[roles.FINANCE])).status_code == 403


def test_catalogue_one_and_bulk_edit_many(client, api_headers, role_users, archive):
    headers = api_headers(role_users[roles.EDITOR])
    gala = archive["gala"]
    answer = client.patch(
        f"/api/v1/assets/{gala.pk}",
        {"caption": "新说明", "keywords": ["国庆", "直播"], "date": "2024-10-01"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 200 and answer.json()["keywords"] == sorted(["国庆", "直播"])
    ids = [gala.pk, archive["video"].pk]
    refused = client.post(
        "/api/v1/assets/bulk-edit",
        {"ids": ids, "fields": {"location": "天安门广场", "date": "2024-02-30"}},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 422 and "date" in refused.json()["detail"]
    assert not Asset.objects.filter(location="天安门广场").exists()
    done = client.post(
        "/api/v1/assets/bulk-edit",
        {"ids": ids, "fields": {"location": "天安门广场", "keywords": ["大直播"]}},
        content_type="application/json",
        **headers,
    )
    assert done.json() == {"changed": 2}
    assert Asset.objects.filter(location="天安门广场").count() == 2
    assert set(Asset.objects.get(pk=gala.pk).keywords.names()) == {"国庆", "直播", "大直播"}
    assert AuditEntry.objects.get(action="archive.asset.bulk_edit").data["count"] == 2
    hidden = client.post(
        "/api/v1/assets/bulk-edit",
        {"ids": [archive["secret"].pk], "fields": {"location": "x"}},
        content_type="application/json",
        **headers,
    )
    assert hidden.status_code == 422


def test_events_count_by_type_and_photographer(client, api_headers, role_users, archive):
    headers = api_headers(role_users[roles.REPORTER])
    event = archive["gala"].event
    listed = {e["name"]: e["assets"] for e in client.get("/api/v1/events", **headers).json()}
    assert listed["国庆75周年大直播"] == 2
    detail = client.get(f"/api/v1/events/{event.pk}", **headers).json()
    assert detail["by_kind"] == {"photo": 1, "video": 1}
    assert detail["by_photographer"] == {"王晓": 2}


def test_an_expired_asset_needs_an_audited_reason_to_be_attached(client, api_headers, role_users, archive):
    from rongmei.stories import actions as story_actions

    reporter = role_users[roles.REPORTER]
    story = story_actions.create_story(author=reporter, title="康养新闻")
    headers = api_headers(reporter)
    expired = archive["portrait"].pk
    refused = client.post(
        f"/api/v1/stories/{story.pk}/assets", {"asset_id": expired}, content_type="application/json", **headers
    )
    assert refused.status_code == 409 and "到期" in refused.json()["detail"]
    assert not story.attached_assets.exists()
    allowed = client.post(
        f"/api/v1/stories/{story.pk}/assets",
        {"asset_id": expired, "override_reason": "权利人书面同意续用至年底"},
        content_type="application/json",
        **headers,
    )
    assert allowed.status_code == 201
    entry = AuditEntry.objects.get(action="archive.asset.attach")
    assert entry.data["rights_override"] == "权利人书面同意续用至年底"
    usages = client.get(f"/api/v1/assets/{expired}/usages", **headers).json()
    assert usages == [{"story_id": story.pk, "title": "康养新闻", "rights_override_reason": "权利人书面同意续用至年底"}]
    story.refresh_from_db()
    assert story.latest_revision.content["attached_assets"][0]["asset"] == expired
