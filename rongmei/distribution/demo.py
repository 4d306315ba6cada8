"""Demo data of the distribution app: the outlets named in the seed report.

The platforms with an API (WeChat, Weibo, Douyin, Kuaishou) have no account
in the demo, so they do not publish on approval until an operator enters
the account and turns it on; the website publishes by itself, and the
outlets without an API wait for a person (export package, then record the
link)."""

from rongmei.core.demo import ORGANISATION
from rongmei.core.models import Organisation
from rongmei.distribution.models import Channel, ChannelKind

CHANNELS = [
    # kind, name, language, public address, description
    (ChannelKind.WECHAT_MP, "北京西城", "zh-hans", "", "微信公众号“北京西城”"),
    (ChannelKind.WEIBO, "北京西城", "zh-hans", "", "微博“北京西城”，2024年6月1日起运营"),
    (ChannelKind.DOUYIN, "北京西城", "zh-hans", "", "抖音号“北京西城”"),
    (ChannelKind.KUAISHOU, "北京西城", "zh-hans", "", "快手号“北京西城”"),
    (ChannelKind.WECHAT_CHANNELS, "北京西城", "zh-hans", "", "视频号“北京西城”（无发布接口，人工发布后登记）"),
    (ChannelKind.CCTV_VIDEO, "北京西城", "zh-hans", "", "央视频号“北京西城”"),
    (ChannelKind.NEWSPAPER, "《北京西城报》", "zh-hans", "", "区级报纸"),
    (ChannelKind.PERIODICAL, "《西城文苑》", "zh-hans", "", "纸质及电子刊物"),
    (ChannelKind.TV, "《都市阳光》", "zh-hans", "", "北京电视台播出的日播电视节目"),
    # The built-in website (rongmei.website) at the platform's own address: a center
    # sets its public address (such as https://www.bjxch.gov.cn/) when it goes live.
    (ChannelKind.WEBSITE, "北京西城政府网站", "zh-hans", "", "区政府中文网站新闻栏目"),
    (ChannelKind.WEBSITE, "Beijing Xicheng", "en", "", "区政府英文网站"),
    (ChannelKind.PARTNER, "中央和市级媒体", "zh-hans", "", "向中央、市级媒体报送的素材包（文字、原图与署名）"),
]


NEEDS_ACCOUNT = {ChannelKind.WECHAT_MP, ChannelKind.WEIBO, ChannelKind.DOUYIN, ChannelKind.KUAISHOU}


def load() -> dict[type, int]:
    organisation = Organisation.objects.get(name=ORGANISATION["name"])
    for order, (kind, name, language, url, description) in enumerate(CHANNELS, start=1):
        channel, created = Channel.objects.get_or_create(
            organisation=organisation,
            kind=kind,
            name=name,
            language=language,
            defaults={"url": url, "description": description, "sort_order": order, "is_active": True},
        )
        if created and kind in NEEDS_ACCOUNT:
            channel.auto_publish = False  # no account in the demo: an operator enters it, then turns this on
            channel.description += "（演示数据未配置账号）"
            channel.save(update_fields=["auto_publish", "description"])
    return {Channel: len(CHANNELS)}
