"""The government website channel: the story's article page is created
in the column its version names (else the news column), corrected at the
same address and unpublished in the built-in website through the queue,
exactly once, and an English page only with a confirmed translation."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from rongmei.archive.actions import build_renditions
from rongmei.archive.models import Security
from rongmei.core import roles
from rongmei.distribution.channels import website
from rongmei.distribution.models import Delivery, DeliveryAction, DeliveryState
from rongmei.distribution.tests.conftest import settle
from rongmei.versions.models import Version
from rongmei.versions.tests._fixtures import BODY
from rongmei.website.models import ArticlePage, ColumnPage, WebsiteHomePage

pytestmark = pytest.mark.django_db
S = DeliveryState
PUBLIC = "https://www.example.gov.cn/"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Rendered pages of an earlier test (whose data was rolled back) are not this test's."""
    cache.clear()


@pytest.fixture
def site_channel(make_channel, photo):
    build_renditions(photo)  # what the worker does after ingest
    return make_channel("website", url=PUBLIC)


def column(kind, language="zh-hans"):
    return ColumnPage.objects.child_of(WebsiteHomePage.objects.get(language=language)).get(kind=kind)


def crashed(delivery, *steps):
    """Leave the delivery as a worker killed in the middle of ``steps`` does:
    the steps' intents saved, in progress, its lease run out."""
    Delivery.objects.filter(pk=delivery.pk).update(
        state=S.IN_PROGRESS,
        checkpoint={"steps": {}, "intents": list(steps)},
        lease_until=timezone.now() - dt.timedelta(seconds=1),
        claimed_by="killed-worker",
    )
    delivery.refresh_from_db()
    return delivery


def test_a_story_is_published_on_the_website_with_its_pictures(client, site_channel, make_delivery, full_story, photo):
    delivery = settle(make_delivery(site_channel))
    assert delivery.state == S.DELIVERED, delivery.last_error
    page = ArticlePage.objects.get(source_story=full_story)
    assert page.live and page.first_published_at and page.revisions.count() == 1
    assert delivery.external_id == str(page.pk)
    assert page.get_parent().specific == column("news")  # the version names no column
    assert delivery.external_url == f"{PUBLIC}news/story-{full_story.pk}/"
    html = client.get(page.url).content.decode()
    assert f"<h1>{full_story.title}</h1>" in html and "记者从区民政局获悉" in html
    assert f'<img src="/site-media/{photo.pk}/web" alt="社区养老服务驿站里，老人们在吃午饭。"' in html
    assert client.get(f"/site-media/{photo.pk}/web").status_code == 200
    assert full_story.title in client.get("/").content.decode()
    # The link other channels carry (Weibo's, WeChat's original-source link) is this very page.
    from rongmei.distribution.channels.website import article_url

    assert article_url(full_story.pk, site_channel) == delivery.external_url


def test_a_retry_after_a_crash_past_the_commit_finds_the_page_and_does_not_publish_again(
    site_channel, make_delivery, full_story
):
    delivery = make_delivery(site_channel)
    website.apply(delivery)  # the page was committed, then the worker died before recording it
    delivery = settle(crashed(delivery, DeliveryAction.PUBLISH))
    page = ArticlePage.objects.get(source_story=full_story)
    assert delivery.state == S.DELIVERED and delivery.external_id == str(page.pk)
    assert page.revisions.count() == 1  # reconciled, not done twice


def test_a_retry_after_a_crash_before_the_commit_publishes_once(site_channel, make_delivery, full_story):
    delivery = settle(crashed(make_delivery(site_channel), DeliveryAction.PUBLISH))
    assert delivery.state == S.DELIVERED
    assert ArticlePage.objects.filter(source_story=full_story).count() == 1


def test_a_second_delivery_of_the_story_finds_its_page_instead_of_making_another(
    site_channel, make_delivery, full_story
):
    first = settle(make_delivery(site_channel))
    second = settle(make_delivery(site_channel))  # its checkpoint knows nothing of the first
    assert first.state == second.state == S.DELIVERED
    assert first.external_id == second.external_id
    assert ArticlePage.objects.filter(source_story=full_story).count() == 1


def test_a_correction_keeps_the_address_and_shows_the_note_and_its_date(
    client, site_channel, make_delivery, full_story
):
    first = settle(make_delivery(site_channel))
    note = "原稿中驿站数量有误，现已更正。"
    correction = make_delivery(
        site_channel,
        title="西城区新增十二家社区养老服务驿站",
        body=BODY.replace("十家", "十二家"),
        data={"images": [], "correction_note": note},
    )
    Delivery.objects.filter(pk=correction.pk).update(action=DeliveryAction.UPDATE)
    correction = settle(correction)
    assert correction.state == S.DELIVERED and correction.events.last().message == "网站页面已更正，地址不变。"
    assert (correction.external_id, correction.external_url) == (first.external_id, first.external_url)
    page = ArticlePage.objects.get(source_story=full_story)
    assert page.title == "西城区新增十二家社区养老服务驿站" and page.revisions.count() == 2
    html = client.get(page.url).content.decode()
    assert note in html and "更正说明" in html
    assert f"{timezone.localtime(page.corrected_at):%Y-%m-%d}" in html
    assert "十二家" in html and "<figure>" not in html  # the corrected version has no picture


def test_unpublishing_takes_the_page_off_the_website(client, site_channel, make_delivery, full_story, newsroom):
    published = settle(make_delivery(site_channel))
    url = ArticlePage.objects.get(source_story=full_story).url
    [request] = website.request_unpublish(full_story, user=newsroom[roles.OPERATOR])
    assert request.action == DeliveryAction.UNPUBLISH and request.state == S.PENDING
    done = settle(request)
    assert done.state == S.DELIVERED and done.external_id == published.external_id
    assert not ArticlePage.objects.get(source_story=full_story).live
    assert client.get(url).status_code == 404
    assert website.request_unpublish(full_story, user=newsroom[roles.OPERATOR]) == []  # nothing live is left


def test_an_unconfirmed_english_translation_is_refused_in_chinese(make_channel, make_delivery, full_story):
    channel = make_channel("website", language="en")
    english = {"title": "Ten new elderly care stations in Xicheng", "body": "<p>Ten stations open this year.</p>"}
    refused = settle(make_delivery(channel, **english, data={"translation_state": "machine", "images": []}))
    assert refused.state == S.FAILED
    assert refused.last_error == "英文稿是机器翻译，尚未经编辑确认：请编辑确认译文后再发布到英文网站。"
    assert not ArticlePage.objects.filter(source_story=full_story).exists()


def test_a_confirmed_english_translation_is_published_on_the_english_site(client, make_channel, make_delivery):
    channel = make_channel("website", language="en")
    english = {"title": "Ten new elderly care stations in Xicheng", "body": "<p>Ten stations open this year.</p>"}
    delivery = settle(make_delivery(channel, **english, data={"translation_state": "confirmed", "images": []}))
    assert delivery.state == S.DELIVERED, delivery.last_error
    page = ArticlePage.objects.get(pk=delivery.external_id)
    assert page.language == "en" and page.url.startswith("/en/")
    html = client.get(page.url).content.decode()
    assert '<html lang="en">' in html and "Ten stations open this year." in html


def test_a_picture_for_named_staff_only_never_reaches_the_public_site(site_channel, make_delivery, photo):
    photo.security = Security.RESTRICTED
    photo.save()
    delivery = settle(make_delivery(site_channel))
    assert delivery.state == S.FAILED and "仅限指定人员查看" in delivery.last_error
    assert not ArticlePage.objects.exists()


def test_a_story_goes_to_the_column_its_version_names(client, site_channel, make_delivery, full_story):
    delivery = settle(make_delivery(site_channel, data={"images": [], "column": "notice"}))
    assert delivery.state == S.DELIVERED, delivery.last_error
    page = ArticlePage.objects.get(source_story=full_story)
    assert page.get_parent().specific == column("notice")
    assert delivery.external_url == f"{PUBLIC}notices/story-{full_story.pk}/"
    assert full_story.title in client.get("/notices/").content.decode()


def test_a_column_the_website_does_not_have_means_the_news_column(site_channel, make_delivery, full_story):
    settle(make_delivery(site_channel, data={"images": [], "column": "no-such-kind"}))
    assert ArticlePage.objects.get(source_story=full_story).get_parent().specific == column("news")


def test_a_correction_leaves_a_page_an_editor_moved_where_it_is(client, site_channel, make_delivery, full_story):
    settle(make_delivery(site_channel))
    page = ArticlePage.objects.get(source_story=full_story)
    page.move(column("policy"), pos="last-child")  # an editor moved it in the page explorer
    correction = make_delivery(site_channel, data={"images": [], "column": "news", "correction_note": "标题有误。"})
    Delivery.objects.filter(pk=correction.pk).update(action=DeliveryAction.UPDATE)
    correction = settle(correction)
    assert correction.state == S.DELIVERED, correction.last_error
    page = ArticlePage.objects.get(source_story=full_story)
    assert page.get_parent().specific == column("policy")
    assert correction.external_url == f"{PUBLIC}policies/story-{full_story.pk}/"
    assert "标题有误。" in client.get(page.url).content.decode()


def test_the_address_other_channels_carry_is_known_before_the_page_exists(site_channel, make_delivery, full_story):
    from rongmei.distribution.channels.website import article_url

    assert article_url(full_story.pk, site_channel) == f"{PUBLIC}news/story-{full_story.pk}/"
    delivery = make_delivery(site_channel)  # generates the story's version for the channel
    Version.objects.filter(story=full_story, channel=site_channel).update(data={"images": [], "column": "photo"})
    assert article_url(full_story.pk, site_channel) == f"{PUBLIC}photos/story-{full_story.pk}/"
    Delivery.objects.filter(pk=delivery.pk).update(payload={**delivery.payload, "data": {"column": "photo"}})
    assert settle(delivery).external_url == f"{PUBLIC}photos/story-{full_story.pk}/"


def test_a_headline_named_by_the_version_leads_the_home_page(client, site_channel, make_delivery, full_story):
    settle(make_delivery(site_channel, data={"images": [], "headline": True}))
    assert ArticlePage.objects.get(source_story=full_story).headline
    newer = ArticlePage(title="较新的一般稿件", slug="newer")
    column("news").add_child(instance=newer)
    newer.save_revision().publish()
    html = client.get("/").content.decode()
    headline = html.split('<section class="headline"', 1)[1].split("</section>", 1)[0]
    assert full_story.title in headline and newer.title not in headline
