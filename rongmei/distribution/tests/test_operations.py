# ruff: noqa: F811 - pytest fixtures imported by name
"""The operations view (运营) and the API of the publish queue: the board
with each channel's health, a delivery's page and the operator's actions,
the write-only credentials, the dashboard alert, and the permissions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.distribution.models import Channel, Delivery
from rongmei.distribution.tests.conftest import settle
from rongmei.stories.tests.conftest import api  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(make_channel, make_delivery):
    """A newspaper delivery waiting for a person, and a failed one."""
    manual = settle(make_delivery(make_channel("newspaper", name="《西城报》测试版")))
    failed = make_delivery(make_channel("tv", name="《阳光》测试栏目"))
    Delivery.objects.filter(pk=failed.pk).update(
        state="failed", last_error="渠道拒绝：标题过长", finished_at=timezone.now() - dt.timedelta(hours=1)
    )
    return manual, Delivery.objects.get(pk=failed.pk)


def test_the_board_shows_deliveries_by_story_and_channel_with_health(client, newsroom, waiting, admin_user):
    manual, _failed = waiting
    client.force_login(newsroom[roles.OPERATOR])
    page = client.get(reverse("distribution:board")).content.decode()
    assert "《西城报》测试版" in page and "渠道拒绝：标题过长" in page
    assert "1 / 1" in page  # the TV channel: one failure of one finished delivery in 24 h
    by_channel = client.get(reverse("distribution:board"), {"group": "channel", "state": "failed"}).content.decode()
    assert "渠道拒绝" in by_channel and reverse("distribution:delivery", args=[manual.pk]) not in by_channel
    # The story editor links to the story's deliveries (for those who may see them).
    client.force_login(admin_user)
    editor = client.get(reverse("wagtailsnippets_stories_story:edit", args=[manual.story_id])).content.decode()
    assert f"{reverse('distribution:board')}?story={manual.story_id}" in editor


def test_the_dashboard_warns_about_failed_deliveries(client, newsroom, waiting):
    client.force_login(newsroom[roles.OPERATOR])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "delivery-alerts" in page and "?state=failed" in page


def test_an_operator_records_a_manual_publication_and_retries_a_failure(
    client, newsroom, waiting, django_capture_on_commit_callbacks
):
    manual, failed = waiting
    client.force_login(newsroom[roles.OPERATOR])
    page = client.get(reverse("distribution:delivery", args=[manual.pk])).content.decode()
    assert "发布包" in page  # the instructions
    url = "https://epaper.example.cn/2026/11/26/3.html"
    client.post(reverse("distribution:act", args=[manual.pk, "manual"]), {"url": url})
    manual.refresh_from_db()
    assert manual.state == "delivered" and manual.external_url == url
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs inline in tests
        client.post(reverse("distribution:act", args=[failed.pk, "retry"]))
    failed.refresh_from_db()
    assert failed.state == "needs_manual_check"  # retried: the TV channel waits for a person
    assert AuditEntry.objects.filter(action="distribution.delivery.pending", actor=newsroom[roles.OPERATOR]).exists()


def test_reporters_cannot_see_or_act_on_deliveries(client, newsroom, waiting):
    manual, _ = waiting
    refused = (302, 403)  # Wagtail turns a refusal into a redirect with its message
    client.force_login(newsroom[roles.REPORTER])
    assert client.get(reverse("distribution:board")).status_code in refused
    assert client.post(reverse("distribution:act", args=[manual.pk, "cancel"])).status_code in refused
    manual.refresh_from_db()
    assert manual.state == "needs_manual_check"
    client.force_login(newsroom[roles.DIRECTOR])  # reads, does not act
    assert client.get(reverse("distribution:board")).status_code == 200
    assert client.post(reverse("distribution:act", args=[manual.pk, "cancel"])).status_code in refused
    manual.refresh_from_db()
    assert manual.state == "needs_manual_check"


def test_credentials_are_encrypted_and_never_shown_back(client, newsroom, make_channel):
    channel = make_channel("wechat_mp", name="西城测试号")
    client.force_login(newsroom[roles.OPERATOR])
    url = reverse("distribution:account", args=[channel.pk])
    client.post(url, {"appid": "wx1234567890", "secret": "s3cr3t-app-secret-value"})
    channel.refresh_from_db()
    assert channel.credentials == {"appid": "wx1234567890", "secret": "s3cr3t-app-secret-value"}
    assert "s3cr3t" not in channel.credentials_encrypted
    page = client.get(url).content.decode()
    assert "s3cr3t-app-secret-value" not in page and "wx1234567890" not in page and "ue" in page  # masked
    client.post(url, {"appid": "", "secret": "new-secret-of-the-account"})  # blank keeps the stored value
    channel.refresh_from_db()
    assert channel.credentials == {"appid": "wx1234567890", "secret": "new-secret-of-the-account"}
    entry = AuditEntry.objects.filter(action="distribution.channel.credentials").last()
    assert "new-secret" not in str(entry.data)
    client.force_login(newsroom[roles.EDITOR])
    assert client.get(url).status_code in (302, 403)


def test_the_api_lists_retries_and_cancels_deliveries(api, newsroom, waiting, django_capture_on_commit_callbacks):
    manual, failed = waiting
    operator = api(newsroom[roles.OPERATOR])
    rows = operator.get("/deliveries", state="failed").json()
    assert [row["id"] for row in rows] == [failed.pk]
    detail = operator.get(f"/deliveries/{manual.pk}").json()
    assert detail["state"] == "needs_manual_check" and detail["events"][0]["state"] == "needs_manual_check"
    canceled = operator.post(f"/deliveries/{manual.pk}/cancel").json()
    assert canceled["state"] == "canceled"
    refused = operator.post(f"/deliveries/{manual.pk}/cancel")
    assert refused.status_code == 409 and refused.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        assert operator.post(f"/deliveries/{failed.pk}/retry").json()["state"] == "pending"
    failed.refresh_from_db()
    assert failed.state == "needs_manual_check"
    recorded = operator.post(f"/deliveries/{failed.pk}/published-manually", {"url": "https://tv.example.cn/1"})
    assert recorded.json()["state"] == "delivered"
    channels = operator.get("/channels").json()
    tv = next(c for c in channels if c["name"] == "《阳光》测试栏目")
    assert tv["last_success_at"] and "credentials" not in str(channels).lower().replace("has_credentials", "")
    assert api(newsroom[roles.REPORTER]).get("/deliveries").status_code == 403
    assert api(newsroom[roles.DIRECTOR]).post(f"/deliveries/{manual.pk}/retry").status_code == 403
    assert Channel.objects.count() >= 2
