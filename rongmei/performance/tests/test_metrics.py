# ruff: noqa: F401, F811 - fixtures imported by name
"""Metrics count the platform's own records (deliveries to WeChat, the
website's articles and page views) except in the months where the output
ledger holds the back-office figure, which then replaces them: never both."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from rongmei.analytics.models import PageView
from rongmei.analytics.tests.conftest import english_home, home, make_article
from rongmei.core import roles
from rongmei.core.models import Organisation
from rongmei.distribution.models import Channel, Delivery
from rongmei.performance import metrics
from rongmei.performance.models import ChannelStat, Placement, Platform, Publication
from rongmei.stories import actions as story_actions


def at(year, month, day=15):
    return timezone.make_aware(dt.datetime(year, month, day, 12))


@pytest.fixture
def deliver(make_user):
    organisation = Organisation.objects.create(name="测试中心")
    wechat = Channel.objects.create(organisation=organisation, kind="wechat_mp", name="北京西城")
    weibo = Channel.objects.create(organisation=organisation, kind="weibo", name="北京西城")
    story = story_actions.create_story(
        author=make_user("writer", roles.REPORTER), title="稿件", summary="", body="<p>正文</p>"
    )

    def make(when, *, channel=wechat, state="delivered", action="publish"):
        return Delivery.objects.create(
            story=story, channel=channel, state=state, action=action, finished_at=when,
            give_up_at=when + dt.timedelta(hours=1),
        )  # fmt: skip

    make.wechat, make.weibo = wechat, weibo
    return make


def test_wechat_posts_count_deliveries_unless_the_ledger_has_the_month(deliver):
    for month in (1, 1, 2, 3):
        deliver(at(2030, month))
    deliver(at(2030, 2), state="failed")  # not delivered
    deliver(at(2030, 2), action="unpublish")  # not a post
    deliver(at(2030, 2), channel=deliver.weibo)  # another platform
    deliver(at(2029, 12, 31))  # another year
    assert metrics.compute("wechat_posts", 2030).value == 4

    # The back office says February had 10 posts: it replaces the one delivery of February.
    ChannelStat.objects.create(platform=Platform.WECHAT_MP, account="北京西城", year=2030, month=2, posts=10)
    figure = metrics.compute("wechat_posts", 2030)
    assert figure.value == 2 + 10 + 1
    ledger, own = figure.sources
    assert (ledger.model, ledger.rows) == ("performance.ChannelStat", 1)
    assert "替代了平台自有记录的1个月" in ledger.description
    assert (own.model, own.rows) == ("distribution.Delivery", 3) and "2个月" in own.description
    # a ledger row without the figure (reads only) does not replace anything
    ChannelStat.objects.create(platform=Platform.WECHAT_MP, account="北京西城", year=2030, month=3, reads=500)
    assert metrics.compute("wechat_posts", 2030).value == 13
    assert metrics.compute("wechat_posts", 2030, (1, 1)).value == 2
    assert metrics.compute("weibo_posts", 2030).value == 1


def test_website_articles_and_visits_come_from_the_website_until_the_ledger_says_otherwise(
    home, english_home, make_article
):
    from rongmei.performance.metrics import _bounds

    make_article(published=at(2030, 4))
    make_article(published=at(2030, 4, 20), slug="b")
    make_article(published=at(2030, 5), slug="c")
    make_article(parent=english_home, title="English news", slug="en-1", published=at(2030, 4))
    make_article(published=at(2031, 1), slug="later")
    assert metrics.compute("website_articles", 2030).value == 3
    assert metrics.compute("website_articles_en", 2030).value == 1
    ChannelStat.objects.create(platform=Platform.WEBSITE, account="政府网站", year=2030, month=4, posts=40)
    assert metrics.compute("website_articles", 2030).value == 40 + 1  # April from the ledger, May from the site
    assert metrics.compute("website_articles_en", 2030).value == 1  # the English site has no ledger row

    PageView.objects.create(page=home, day=dt.date(2030, 4, 1), language="zh-hans", views=7)
    PageView.objects.create(page=home, day=dt.date(2030, 6, 1), language="zh-hans", views=5)
    PageView.objects.create(page=english_home, day=dt.date(2030, 6, 2), language="en", views=3)
    # the ledger's April figure for the Chinese site replaces April's 7 page views
    ChannelStat.objects.filter(month=4).update(reads=1000)
    figure = metrics.compute("website_visits", 2030)
    assert figure.value == 1000 + 5 + 3
    assert [s.model for s in figure.sources] == ["performance.ChannelStat", "analytics.PageView"]
    assert _bounds(2030, (12, 12))[1] == at(2031, 1, 1).replace(hour=0)


def test_followers_are_the_latest_month_and_growth_the_sum(db):
    for month, followers, growth in ((1, 100, 10), (2, 130, 30), (3, 125, -5)):
        ChannelStat.objects.create(
            platform=Platform.WECHAT_MP,
            account="甲",
            year=2030,
            month=month,
            followers=followers,
            follower_growth=growth,
        )
    ChannelStat.objects.create(platform=Platform.WECHAT_MP, account="乙", year=2030, month=3, followers=1000)
    assert metrics.compute("wechat_followers", 2030).value == 1125
    assert metrics.compute("wechat_followers", 2030, (1, 2)).value == 130
    assert metrics.compute("wechat_follower_growth", 2030).value == 35
    assert metrics.compute("weibo_followers", 2030).value is None


def test_ledger_counts_with_batches(db):
    Placement.objects.create(outlet="人民日报", level="central", date=dt.date(2030, 3, 1), title="a")
    Placement.objects.create(outlet="北京日报", level="municipal", date=dt.date(2030, 3, 1), title="b", quantity=40)
    Placement.objects.create(outlet="央视", level="central", programme="新闻联播", date=dt.date(2030, 5, 1), title="c")
    Placement.objects.create(outlet="央视", level="central", programme="新闻联播", date=dt.date(2031, 1, 1), title="d")
    assert metrics.compute("placements", 2030).value == 42
    assert metrics.compute("placements_central", 2030).value == 2
    assert metrics.compute("placements_municipal", 2030).value == 40
    assert metrics.compute("xinwen_lianbo", 2030).value == 1
    Publication.objects.create(kind="tv", title="都市阳光", date=dt.date(2030, 1, 1), issues=25)
    Publication.objects.create(kind="newspaper", title="报", date=dt.date(2030, 1, 1), pages=8)
    assert metrics.compute("tv_episodes", 2030).value == 25
    assert metrics.compute("newspaper_issues", 2030).value == 1
    assert metrics.compute("newspaper_pages", 2030).value == 8
    assert metrics.compute("periodical_issues", 2030).value == 0


def test_the_inbox_figures_feed_the_satisfaction_indicators(make_user):
    """受理群众诉求 and 回应率 (服务对象满意度, 社会效益) count the inbox's items of the year."""
    from rongmei.interaction import actions as inbox_actions
    from rongmei.interaction.intake import Incoming, ingest
    from rongmei.interaction.models import Item

    texts = ["小区门口路灯坏了", "公交站台需要遮雨棚", "感谢社区工作人员", "广告", "去年的来信"]
    posted = [at(2024, 3), at(2024, 5), at(2024, 9), at(2024, 11), at(2023, 12)]
    ingest(
        [
            Incoming(source="letter", external_id=f"L{n}", content=text, posted_at=when)
            for n, (text, when) in enumerate(zip(texts, posted, strict=True))
        ]
    )
    operator = make_user("operator", roles.OPERATOR)
    items = {item.content: item for item in Item.objects.all()}
    for text in texts[:2]:
        inbox_actions.reply(items[text], user=operator, text="已转相关部门处理。")
    inbox_actions.close(items["广告"], user=operator, reason="广告")

    received = metrics.compute("inbox_received", 2024)
    assert received.value == 4 and received.sources[0].model == "interaction.Item"
    assert metrics.compute("inbox_response_rate", 2024).value == Decimal("66.7")  # 2 of the 3 needing one
    assert metrics.compute("inbox_received", 2023).value == 1
    assert metrics.compute("inbox_response_rate", 2023).value == 0
    assert metrics.compute("inbox_first_response_median_hours", 2024).value > 0
