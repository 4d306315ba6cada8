"""The archive's browse page: search, each filter, faceted counts, the
thumbnail grid, security levels, the file view and bulk edit."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from rongmei.archive import actions, samples
from rongmei.archive.ingest import ingest_file
from rongmei.archive.models import Asset, Event, Person, Security
from rongmei.core import roles
from rongmei.core.models import AuditEntry

pytestmark = pytest.mark.django_db
BROWSE = "/admin/archive/"


@pytest.fixture
def archive(write, small_video):
    """Photos (landscape, portrait, square), a video and an audio clip at two
    events; one restricted, one with expired rights."""

    def add(name, data, **catalogue):
        return ingest_file(write(name, data), original_name=name, catalogue=catalogue).asset

    last_year = (datetime.date.today() - datetime.timedelta(days=365)).isoformat()
    return {
        "gala": add(
            "gala.jpg",
            samples.photo(600, 400, seed=1),
            title="国庆晚会现场",
            caption="西城区融媒体中心记者在国庆75周年大直播现场拍摄",
            event="国庆75周年大直播",
            date="2024-10-01",
            people="张三、李四",
            photographer="王晓",
        ),
        "elders": add(
            "elders.jpg",
            samples.photo(400, 600, seed=2),
            title="养老驿站的老人",
            caption="京津冀异地康养：西城老人在河北的养老服务驿站",
            event="京津冀异地康养",
            date="2024-06-15",
            people="张三",
            photographer="李华",
            rights="licensed",
            rights_holder="新华社",
            rights_expire_on=last_year,
        ),
        "meeting": add(
            "meeting.jpg",
            samples.photo(500, 500, seed=3),
            title="区委常委会",
            date="2024-03-02",
            photographer="王晓",
            security=Security.RESTRICTED,
        ),
        "video": add(
            "clip.mp4",
            small_video.read_bytes(),
            title="大直播片段",
            event="国庆75周年大直播",
            date="2024-10-01",
            photographer="王晓",
        ),
        "audio": add("interview.wav", samples.audio_wav(seconds=1), title="采访录音", date="2023-12-01"),
    }


def shown(response) -> set[int]:
    assert response.status_code == 200, response.status_code
    return {int(pk) for pk in re.findall(r'data-asset-id="(\d+)"', response.content.decode())}


def ids(archive, *names) -> set[int]:
    return {archive[name].pk for name in names}


def facet(response, name) -> dict[str, int]:
    """The counts of one facet, keyed by the label shown."""
    (found,) = [f for f in response.context["facets"] if f["name"] == name]
    return {str(item["label"]): item["count"] for item in found["items"]}


def test_the_director_sees_everything_and_the_facets_count_it(client, role_users, archive):
    client.force_login(role_users[roles.DIRECTOR])
    response = client.get(BROWSE)
    assert shown(response) == set(ids(archive, *archive))
    assert response.context["count"] == 5
    kinds = facet(response, "kind")
    with override("zh-hans"):
        photo, video, audio = gettext("Photo"), gettext("Video"), gettext("Audio")
    assert (kinds[photo], kinds[video], kinds[audio]) == (3, 1, 1)
    assert facet(response, "event") == {"国庆75周年大直播": 2, "京津冀异地康养": 1}
    assert facet(response, "person") == {"张三": 2, "李四": 1}
    assert facet(response, "photographer") == {"王晓": 3, "李华": 1}
    rights = {item["value"]: item["count"] for item in response.context["facets"][4]["items"]}
    assert rights == {"own": 4, "licensed": 1, "expired": 1}
    orientation = {item["value"]: item["count"] for item in response.context["facets"][5]["items"]}
    assert orientation == {"landscape": 2, "portrait": 1, "square": 1}  # the 320×240 video is landscape


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "photo"}, ("gala", "elders", "meeting")),
        ({"kind": ["video", "audio"]}, ("video", "audio")),
        ({"date_from": "2024-06-01", "date_to": "2024-09-30"}, ("elders",)),
        ({"date_from": "2024-10-01"}, ("gala", "video")),
        ({"photographer": "王晓"}, ("gala", "meeting", "video")),
        ({"rights": "licensed"}, ("elders",)),
        ({"rights": "expired"}, ("elders",)),
        ({"rights": "own", "kind": "photo"}, ("gala", "meeting")),
        ({"orientation": "portrait"}, ("elders",)),
        ({"orientation": "square"}, ("meeting",)),
    ],
)
def test_each_filter(client, role_users, archive, params, expected):
    client.force_login(role_users[roles.DIRECTOR])
    assert shown(client.get(BROWSE, params)) == ids(archive, *expected)


def test_event_and_person_filters_and_the_facets_follow_the_filters(client, role_users, archive):
    client.force_login(role_users[roles.DIRECTOR])
    event = Event.objects.get(name="国庆75周年大直播")
    response = client.get(BROWSE, {"event": event.pk})
    assert shown(response) == ids(archive, "gala", "video")
    assert facet(response, "photographer") == {"王晓": 2}
    assert facet(response, "person") == {"张三": 1, "李四": 1}
    # The event's own facet still offers the other event, counted as an alternative.
    assert facet(response, "event") == {"国庆75周年大直播": 2, "京津冀异地康养": 1}

    zhang = Person.objects.get(name="张三")
    response = client.get(BROWSE, {"person": zhang.pk, "kind": "photo"})
    assert shown(response) == ids(archive, "gala", "elders")
    assert facet(response, "event") == {"国庆75周年大直播": 1, "京津冀异地康养": 1}
    assert facet(response, "photographer") == {"王晓": 1, "李华": 1}


def test_a_bad_date_is_reported_and_ignored(client, role_users, archive):
    client.force_login(role_users[roles.DIRECTOR])
    response = client.get(BROWSE, {"date_from": "2024-13-45", "kind": "audio"})
    assert shown(response) == ids(archive, "audio")
    assert "2024-13-45" in response.content.decode()


def test_search_finds_a_chinese_word_inside_the_caption_and_keeps_the_filters(client, role_users, archive):
    client.force_login(role_users[roles.DIRECTOR])
    assert shown(client.get(BROWSE, {"q": "融媒体"})) == ids(archive, "gala")
    assert shown(client.get(BROWSE, {"q": "养老"})) == ids(archive, "elders")
    assert shown(client.get(BROWSE, {"q": "大直播"})) == ids(archive, "gala", "video")
    response = client.get(BROWSE, {"q": "大直播", "kind": "video"})
    assert shown(response) == ids(archive, "video")
    kinds = {item["value"]: item["count"] for item in response.context["facets"][0]["items"]}
    assert kinds == {"photo": 1, "video": 1}
    assert shown(client.get(BROWSE, {"q": "不存在的词语"})) == set()


def test_a_restricted_asset_is_invisible_to_a_reporter_everywhere(client, role_users, archive):
    secret = archive["meeting"]
    client.force_login(role_users[roles.REPORTER])
    response = client.get(BROWSE)
    assert shown(response) == ids(archive, "gala", "elders", "video", "audio")
    assert facet(response, "photographer") == {"王晓": 2, "李华": 1}
    assert secret.pk not in shown(client.get(BROWSE, {"q": "常委会"}))
    assert client.get(reverse("archive:asset", args=[secret.pk])).status_code == 404
    assert client.get(reverse("archive:file", args=[secret.pk, "original"])).status_code == 404

    client.force_login(role_users[roles.DIRECTOR])
    assert secret.pk in shown(client.get(BROWSE, {"q": "常委会"}))
    assert client.get(reverse("archive:asset", args=[secret.pk])).status_code == 200
    response = client.get(reverse("archive:file", args=[secret.pk, "original"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == secret.original.open("rb").read()


def test_without_the_view_permission_nothing_is_served(client, role_users, archive):
    # Wagtail answers a refusal in the admin with a redirect to the dashboard and a message.
    client.force_login(role_users[roles.FINANCE])
    for url in (BROWSE, reverse("archive:asset", args=[archive["gala"].pk])):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.get(reverse("archive:file", args=[archive["gala"].pk, "original"]))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    client.logout()
    response = client.get(reverse("archive:file", args=[archive["gala"].pk, "original"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_grid_shows_the_thumbnail_once_made_and_an_icon_before(client, role_users, archive):
    client.force_login(role_users[roles.REPORTER])
    gala = archive["gala"]
    thumbnail = reverse("archive:file", args=[gala.pk, "thumbnail"])
    assert thumbnail not in client.get(BROWSE).content.decode()
    assert client.get(thumbnail).status_code == 404
    actions.build_renditions(gala)
    page = client.get(BROWSE).content.decode()
    assert f'src="{thumbnail}"' in page
    response = client.get(thumbnail)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_the_original_downloads_with_its_name_and_byte_ranges_work(client, role_users, archive):
    client.force_login(role_users[roles.REPORTER])
    gala = archive["gala"]
    data = gala.original.open("rb").read()
    response = client.get(reverse("archive:file", args=[gala.pk, "original"]), {"download": "1"})
    assert response["Content-Disposition"].startswith("attachment;") and "gala.jpg" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data
    part = client.get(reverse("archive:file", args=[gala.pk, "original"]), HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert b"".join(part.streaming_content) == data[10:20]


def test_pagination(client, role_users, write):
    for seed in range(50):
        ingest_file(write(f"p{seed}.jpg", samples.photo(64, 48, seed=seed)), original_name=f"p{seed}.jpg")
    client.force_login(role_users[roles.REPORTER])
    first, second = client.get(BROWSE), client.get(BROWSE, {"p": 2})
    assert len(shown(first)) == 48 and len(shown(second)) == 2
    assert not shown(first) & shown(second)


def test_bulk_edit_applies_the_filled_fields_to_the_selection(client, role_users, archive):
    client.force_login(role_users[roles.EDITOR])
    chosen = [archive["gala"].pk, archive["video"].pk]
    response = client.post(
        BROWSE + "?kind=photo",
        {"asset": chosen, "bulk-photographer": "赵六", "bulk-keywords": "国庆，晚会", "bulk-location": ""},
        follow=True,
    )
    assert response.status_code == 200
    with override("zh-hans"):
        message = gettext("%(count)s assets changed.") % {"count": 2}
    assert message in response.content.decode()
    assert response.redirect_chain[0][0].endswith("?kind=photo")
    for name in ("gala", "video"):
        asset = Asset.objects.get(pk=archive[name].pk)
        assert asset.photographer == "赵六" and set(asset.keywords.names()) == {"国庆", "晚会"}
        assert asset.location == ""  # left empty: unchanged
        assert asset.event.name == "国庆75周年大直播"
    assert Asset.objects.get(pk=archive["elders"].pk).photographer == "李华"
    entry = AuditEntry.objects.get(action="archive.asset.bulk_edit")
    assert entry.data["count"] == 2 and entry.actor == role_users[roles.EDITOR]


def test_bulk_edit_refuses_a_bad_date_and_changes_nothing(client, role_users, archive):
    client.force_login(role_users[roles.EDITOR])
    chosen = [archive["gala"].pk, archive["elders"].pk]
    response = client.post(BROWSE, {"asset": chosen, "bulk-photographer": "赵六", "bulk-date": "2024-13-45"})
    assert response.status_code == 200
    page = response.content.decode()
    with override("zh-hans"):
        error = gettext("“%(value)s” is not a date; write it as 2024-10-01.") % {"value": "2024-13-45"}
    assert error in page
    assert re.search(rf'name="asset" value="{archive["gala"].pk}"[^>]*checked', page)  # the selection is kept
    assert {a.photographer for a in Asset.objects.filter(pk__in=chosen)} == {"王晓", "李华"}
    assert not AuditEntry.objects.filter(action="archive.asset.bulk_edit").exists()


def test_bulk_edit_never_reaches_an_asset_the_user_may_not_see(client, role_users, archive):
    client.force_login(role_users[roles.EDITOR])
    client.post(BROWSE, {"asset": [archive["meeting"].pk, archive["gala"].pk], "bulk-photographer": "赵六"})
    assert Asset.objects.get(pk=archive["meeting"].pk).photographer == "王晓"
    assert Asset.objects.get(pk=archive["gala"].pk).photographer == "赵六"


def test_bulk_edit_needs_the_change_permission(client, role_users, archive):
    client.force_login(role_users[roles.REVIEW_1])
    page = client.get(BROWSE).content.decode()
    assert 'name="asset"' not in page and "archive-bulk-form" not in page
    response = client.post(BROWSE, {"asset": [archive["gala"].pk], "bulk-photographer": "赵六"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Asset.objects.get(pk=archive["gala"].pk).photographer == "王晓"
