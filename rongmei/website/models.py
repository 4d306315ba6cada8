"""The built-in government website (政府网站): a home page per language
and article pages, published by the website channel's adapter
(:mod:`rongmei.distribution.channels.website`) or edited in Wagtail's page
explorer.

The Chinese home page is the root of the default Wagtail site (``/``);
the English home page is its child (``/en/``). An article page holds the
story's website version as it was approved: title, summary, the body as
sanitised rich text, pictures from the archive with their captions, a
video, the story it came from, and a correction note with its date once a
corrected version has replaced the first one. Pictures and video are
served to the public by :func:`rongmei.website.views.media`, only while a
live page shows them."""

from __future__ import annotations

import logging

import nh3
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.rich_text import expand_db_html

from rongmei.archive.views.chooser import asset_chooser
from rongmei.core.text import RICH_TEXT_TAGS, sanitize_rich_text

logger = logging.getLogger(__name__)

LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}

# The page's own words, in the page's language (the visitor reads the
# site in its language, whatever the newsroom's interface language is).
LABELS = {
    "zh-hans": {
        "latest": "最新发布",
        "empty": "暂无内容。",
        "published": "发布时间",
        "corrected": "更正时间",
        "correction": "更正说明",
        "home": "首页",
        "video": "视频",
        "no_video": "您的浏览器不能播放此视频。",
        "language_name": "中文",
        "site": "政府网站",
        "colon": "：",
        "open": "（",
        "close": "）",
    },
    "en": {
        "latest": "Latest",
        "empty": "Nothing published yet.",
        "published": "Published",
        "corrected": "Corrected",
        "correction": "Correction",
        "home": "Home",
        "video": "Video",
        "no_video": "Your browser cannot play this video.",
        "language_name": "English",
        "site": "Government Website",
        "colon": ": ",
        "open": " (",
        "close": ")",
    },
}

# What an article body may hold on the public site: the story's rich text
# after Wagtail's references are expanded (links; images of the editor).
BODY_TAGS = (RICH_TEXT_TAGS - {"embed"}) | {"img"}
BODY_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "width", "height"}}
# Rendition kinds the public may fetch for a live page's assets.
PUBLIC_KINDS = ("web", "poster", "thumbnail", "proxy")


def render_body(html: str) -> str:
    """An article body, safe to put in a public page: references expanded,
    everything outside the allow-list removed."""
    if not html:
        return ""
    try:
        html = expand_db_html(html)
    except Exception:  # a malformed reference: keep the text rather than fail the page
        logger.warning("An article body's rich-text references could not be expanded", exc_info=True)
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def public_media_url(asset, kinds=("web", "poster", "thumbnail")) -> str:
    """The public address of the first rendition of ``asset`` among ``kinds``
    ("" while none is made); see :func:`rongmei.website.views.media`."""
    if asset is None:
        return ""
    for kind in kinds:
        if asset.rendition(kind):
            return reverse("website:media", args=[asset.pk, kind])
    return ""


class WebsiteHomePage(Page):
    """The home page of one language of the website: its latest articles."""

    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans", unique=True)
    site_name = models.CharField(
        _("site name"), max_length=100, blank=True, help_text=_("Shown in the header of every page of this language.")
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("site_name"), FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("language")]

    parent_page_types = ["wagtailcore.Page", "website.WebsiteHomePage"]
    subpage_types = ["website.ArticlePage", "website.WebsiteHomePage"]
    max_count = len(LANGUAGES)
    page_size = 30

    class Meta:
        verbose_name = _("website home page")
        verbose_name_plural = _("website home pages")

    @property
    def labels(self) -> dict:
        return LABELS.get(self.language, LABELS["zh-hans"])

    @property
    def html_lang(self) -> str:
        return HTML_LANG.get(self.language, self.language)

    @property
    def home(self) -> WebsiteHomePage:
        return self

    def other_languages(self):
        return WebsiteHomePage.objects.live().exclude(pk=self.pk).order_by("path")

    def articles(self):
        return (
            ArticlePage.objects.live()
            .child_of(self)
            .order_by("-first_published_at", "-pk")
            .prefetch_related("images__asset__renditions")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = self.articles()[: self.page_size]
        return context


class ArticlePage(Page):
    """One story on the website, as its website version was approved."""

    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans", editable=False)
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"), blank=True)
    video = models.ForeignKey(
        "archive.Asset", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("video")
    )
    source_story = models.ForeignKey(
        "stories.Story",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="website_pages",
        verbose_name=_("source story"),
        editable=False,
    )
    # The idempotency key of the delivery that last wrote the page: how a
    # retry after a crash knows whether its step was done.
    delivery_key = models.UUIDField(null=True, blank=True, editable=False)
    correction_note = models.TextField(_("correction note"), blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("images", label=_("pictures")),
        FieldPanel("video", widget=asset_chooser.widget_class),
        MultiFieldPanel([FieldPanel("correction_note"), FieldPanel("corrected_at")], heading=_("correction")),
    ]

    parent_page_types = ["website.WebsiteHomePage"]
    subpage_types = []
    # A copy is a new page of no story: the story's page stays the one.
    exclude_fields_in_copy = ["source_story", "delivery_key"]

    class Meta:
        verbose_name = _("article page")
        verbose_name_plural = _("article pages")
        constraints = [
            # One page per story and language: a retry finds it instead of making another.
            models.UniqueConstraint(
                fields=["source_story", "language"],
                condition=models.Q(source_story__isnull=False),
                name="website_article_one_per_story_language",
            )
        ]

    def save(self, *args, **kwargs):
        self.body = sanitize_rich_text(self.body or "")
        home = self.home if self.path else None
        if isinstance(home, WebsiteHomePage):
            self.language = home.language  # an article is in its home page's language
        return super().save(*args, **kwargs)

    @property
    def home(self) -> WebsiteHomePage | None:
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    @property
    def labels(self) -> dict:
        return LABELS.get(self.language, LABELS["zh-hans"])

    @property
    def html_lang(self) -> str:
        return HTML_LANG.get(self.language, self.language)

    @property
    def body_html(self) -> str:
        return render_body(self.body)

    @property
    def video_url(self) -> str:
        return public_media_url(self.video, ("proxy",))

    @property
    def video_poster_url(self) -> str:
        return public_media_url(self.video, ("poster", "thumbnail"))

    @property
    def lead_image(self):
        return self.images.first()


class ArticleImage(Orderable):
    """A picture of an article page: an archive asset and its caption (also its alt text)."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="images")
    asset = models.ForeignKey("archive.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("picture"))
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    panels = [FieldPanel("asset", widget=asset_chooser.widget_class), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self):
        return self.caption or str(self.asset)

    @property
    def url(self) -> str:
        return public_media_url(self.asset)

    @property
    def rendition(self):
        return self.asset.rendition("web") or self.asset.rendition("thumbnail")
