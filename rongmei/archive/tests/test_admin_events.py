"""Event pages: everything captured at an event, with counts by type and by
photographer, only of the assets the user may see."""

import re

import pytest
from django.urls import reverse

from rongmei.archive import samples
from rongmei.archive.ingest import ingest_file
from rongmei.archive.models import Event, Security
from rongmei.core import roles

pytestmark = pytest.mark.django_db
GALA = "国庆75周年大直播"


@pytest.fixture
def gala(write, small_video):
    event = Event.objects.create(name=GALA, kind=Event.EventKind.MAJOR, location="西城区")

    def add(name, data, **catalogue):
        return ingest_file(write(name, data), original_name=name, catalogue={"event": event.pk, **catalogue}).asset

    add("1.jpg", samples.photo(200, 150, seed=1), photographer="王晓")
    add("2.jpg", samples.photo(200, 150, seed=2), photographer="王晓")
    add("3.jpg", samples.photo(200, 150, seed=3), photographer="李华")
    add("4.mp4", small_video.read_bytes(), photographer="王晓")
    add("5.wav", samples.audio_wav(seconds=1))
    add("6.jpg", samples.photo(200, 150, seed=6), photographer="李华", security=Security.RESTRICTED)
    ingest_file(write("other.jpg", samples.photo(200, 150, seed=7)), original_name="other.jpg")
    return event


def bars(page: str, caption: str) -> dict[str, int]:
    """The rows of one bar chart of the page: label → count."""
    table = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", page, re.S).group(1)
    rows = re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]+)(?:</a>)?</th>.*?archive-bars__count">(\d+)<', table, re.S)
    return {label: int(count) for label, count in rows}


def test_the_event_page_counts_by_type_and_photographer(client, role_users, gala):
    client.force_login(role_users[roles.DIRECTOR])
    response = client.get(reverse("archive_events:inspect", args=[gala.pk]))
    assert response.status_code == 200
    context = response.context
    assert context["total"] == 6 and len(re.findall(r"data-asset-id=", response.content.decode())) == 6
    assert {row["count"] for row in context["by_kind"]} == {4, 1} and len(context["by_kind"]) == 3
    assert [(row["label"], row["count"], row["percent"]) for row in context["by_photographer"]] == [
        ("王晓", 3, 100.0),
        ("李华", 2, 66.7),
        (context["by_photographer"][2]["label"], 1, 33.3),  # the audio has no photographer
    ]
    page = response.content.decode()
    assert 'style="width: 100.0%"' in page and 'style="width: 66.7%"' in page
    by_type, by_photographer = re.findall(r"<caption>([^<]+)</caption>", page)
    assert bars(page, by_type) == {str(row["label"]): row["count"] for row in context["by_kind"]}
    assert bars(page, by_photographer)["王晓"] == 3


def test_a_reporter_does_not_see_or_count_the_restricted_asset(client, role_users, gala):
    client.force_login(role_users[roles.REPORTER])
    response = client.get(reverse("archive_events:inspect", args=[gala.pk]))
    assert response.context["total"] == 5
    assert {row["label"]: row["count"] for row in response.context["by_photographer"]}["李华"] == 1
    assert len(re.findall(r"data-asset-id=", response.content.decode())) == 5


def test_the_event_list_counts_the_visible_assets_and_links_to_the_page(client, role_users, gala):
    Event.objects.create(name="区政府常务会议", kind=Event.EventKind.MEETING)
    client.force_login(role_users[roles.REPORTER])
    response = client.get(reverse("archive_events:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("archive_events:inspect", args=[gala.pk]) in page and "区政府常务会议" in page
    counts = {event.name: event.asset_count for event in response.context["object_list"]}
    assert counts == {GALA: 5, "区政府常务会议": 0}
    client.force_login(role_users[roles.DIRECTOR])
    counts = {e.name: e.asset_count for e in client.get(reverse("archive_events:index")).context["object_list"]}
    assert counts[GALA] == 6


def test_the_menu_has_the_archive_with_browse_upload_and_events(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    page = client.get("/admin/").content.decode()
    for url in (reverse("archive:browse"), reverse("archive:upload"), reverse("archive_events:index")):
        assert url in page
    client.force_login(role_users[roles.REVIEW_1])  # reads, does not upload
    page = client.get("/admin/").content.decode()
    assert reverse("archive:browse") in page and reverse("archive:upload") not in page
    client.force_login(role_users[roles.FINANCE])
    assert reverse("archive:browse") not in client.get("/admin/").content.decode()
