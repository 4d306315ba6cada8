"""Channel versions (多元生成): what one story becomes on each outlet.

A :class:`Version` is the story as one channel of the center publishes it:
the WeChat article, the Weibo post, the short-video caption and subtitles,
the website page in Chinese or English, the newspaper piece, the TV script,
the periodical article, the partner-media package. It is a child of the
story (a ``ParentalKey``), so it lives in the story's revisions and the
three review levels approve the story and all its versions as one package.

The fields every format shares are columns; what only one format has
(hashtags, subtitles, voice-over segments, a page slot…) is in ``data``,
whose shape each format in :mod:`rongmei.versions.formats` defines and
checks."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey


class Version(models.Model):
    story = ParentalKey("stories.Story", on_delete=models.CASCADE, related_name="versions")
    channel = models.ForeignKey(
        "distribution.Channel", on_delete=models.PROTECT, related_name="versions", verbose_name=_("channel")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    kicker = models.CharField(_("kicker (引题)"), max_length=200, blank=True)
    subtitle = models.CharField(_("subtitle (副题)"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    cover = models.ForeignKey(
        "archive.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cover_of_versions",
        verbose_name=_("cover"),
    )
    video = models.ForeignKey(
        "archive.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="video_of_versions",
        verbose_name=_("video"),
    )
    data = models.JSONField(_("format fields"), default=dict, blank=True)
    edited = models.BooleanField(
        _("edited by a person"), default=False, help_text=_("Generating again does not overwrite an edited version.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("channel version")
        verbose_name_plural = _("channel versions")
        ordering = ["channel__sort_order", "channel__name"]
        constraints = [models.UniqueConstraint(fields=["story", "channel"], name="version_one_per_channel")]

    def __str__(self):
        return f"{self.channel} · {self.title}"
