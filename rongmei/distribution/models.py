from django.db import models
from django.utils.translation import gettext_lazy as _

from rongmei.core.models import Organisation


class ChannelKind(models.TextChoices):
    """Every outlet a center publishes to (多渠道发布)."""

    WECHAT_MP = "wechat_mp", _("WeChat official account")
    WEIBO = "weibo", _("Weibo")
    DOUYIN = "douyin", _("Douyin")
    KUAISHOU = "kuaishou", _("Kuaishou")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")
    CCTV_VIDEO = "cctv_video", _("CCTV Video")
    NEWSPAPER = "newspaper", _("Newspaper")
    PERIODICAL = "periodical", _("Periodical")
    TV = "tv", _("TV programme")
    WEBSITE = "website", _("Government website")
    PARTNER = "partner", _("Partner media (material package)")


class Channel(models.Model):
    """One outlet of a center: an account on a platform, a publication, a
    programme or a website. Credentials and delivery come with the publish
    queue; this is the outlet itself."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="channels", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=80)
    language = models.CharField(
        _("language"), max_length=10, choices=[("zh-hans", "简体中文"), ("en", "English")], default="zh-hans"
    )
    url = models.URLField(_("public address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["organisation", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "name", "language"], name="channel_unique_outlet")
        ]

    def __str__(self):
        return self.name
