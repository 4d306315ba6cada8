"""The built-in government website (政府网站): a home page per language,
its columns (栏目) and their article pages, published by the website
channel's adapter (:mod:`rongmei.distribution.channels.website`) or edited
in Wagtail's page explorer.

The Chinese home page is the root of the default Wagtail site (``/``);
the English home page is its child (``/en/``). Each home page has columns
(要闻动态, 通知公告, 政策文件, 专题专栏, 图片新闻, 视频新闻, 互动交流), its
children in the page tree: their order there is their order on the site,
and ``show_on_home`` puts a column's latest articles on the home page.
Articles live under a column (``/news/story-12/``). An article page holds
the story's website version as it was approved: title, summary, the body
as sanitised rich text, pictures from the archive with their captions, a
video, the story it came from, and a correction note with its date once a
corrected version has replaced the first one. Pictures and video are
served to the public by :func:`rongmei.website.views.media`, only while a
live page shows them.

Every page is rendered once per change and then served from the cache
(:mod:`rongmei.website.cache`); a home page answers ``search/`` (site
search, Chinese segmented) and a column ``feed/`` (RSS 2.0)."""

from __future__ import annotations

import logging
import re
from functools import cached_property
from urllib.parse import urlencode

import nh3
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.rich_text import expand_db_html
from wagtail.search import index
from wagtail.url_routing import RouteResult

from rongmei.archive.views.chooser import asset_chooser
from rongmei.core.search import SegmentedSearchField
from rongmei.core.text import RICH_TEXT_TAGS, sanitize_rich_text
from rongmei.website import cache

logger = logging.getLogger(__name__)

LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}
# RSS's <language> (RFC 1766 codes).
FEED_LANG = {"zh-hans": "zh-cn", "en": "en"}


class ColumnKind(models.TextChoices):
    NEWS = "news", _("News and updates")
    NOTICE = "notice", _("Notices")
    POLICY = "policy", _("Policy documents")
    TOPIC = "topic", _("Special topics")
    PHOTO = "photo", _("Photo news")
    VIDEO = "video", _("Video news")
    INTERACTION = "interaction", _("Interaction")


# The columns a home page starts with (migration 0004 makes them): kind,
# slug and the title in each language.
DEFAULT_COLUMNS = [
    ("news", "news", {"zh-hans": "要闻动态", "en": "News"}),
    ("notice", "notices", {"zh-hans": "通知公告", "en": "Notices"}),
    ("policy", "policies", {"zh-hans": "政策文件", "en": "Policies"}),
    ("topic", "topics", {"zh-hans": "专题专栏", "en": "Special Topics"}),
    ("photo", "photos", {"zh-hans": "图片新闻", "en": "Photos"}),
    ("video", "videos", {"zh-hans": "视频新闻", "en": "Videos"}),
    ("interaction", "interact", {"zh-hans": "互动交流", "en": "Interaction"}),
]
# Columns whose listings show pictures.
PICTURE_KINDS = ("photo", "video")

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
        "skip": "跳到主要内容",
        "navigation": "栏目导航",
        "languages": "语言",
        "breadcrumb": "当前位置",
        "headline": "头条",
        "more": "更多",
        "feed": "RSS 订阅",
        "search": "搜索",
        "search_label": "站内搜索",
        "search_title": "站内搜索",
        "query": "搜索词",
        "no_results": "没有找到相关内容，请换一个词试试。",
        "enter_query": "请输入要搜索的词语。",
        "pagination": "分页",
        "previous": "上一页",
        "next": "下一页",
        "page_of": "第 {number} 页，共 {total} 页",
        "page": "第 {number} 页",
        "not_found_title": "页面不存在",
        "not_found_text": "您访问的页面不存在或已被撤下。",
        "back_home": "返回首页",
        "leave_message": "我要留言",
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
        "skip": "Skip to main content",
        "navigation": "Sections",
        "languages": "Languages",
        "breadcrumb": "You are here",
        "headline": "Headline",
        "more": "More",
        "feed": "RSS feed",
        "search": "Search",
        "search_label": "Search this site",
        "search_title": "Site search",
        "query": "Search words",
        "no_results": "Nothing found; try another word.",
        "enter_query": "Enter a word to search for.",
        "pagination": "Pages",
        "previous": "Previous",
        "next": "Next",
        "page_of": "Page {number} of {total}",
        "page": "Page {number}",
        "not_found_title": "Page not found",
        "not_found_text": "The page you asked for does not exist or has been taken down.",
        "back_home": "Back to the home page",
        "leave_message": "Leave a message",
    },
}

# What an article body may hold on the public site: the story's rich text
# after Wagtail's references are expanded (links; images of the editor).
BODY_TAGS = (RICH_TEXT_TAGS - {"embed"}) | {"img"}
BODY_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "width", "height"}}
# Rendition kinds the public may fetch for a live page's assets.
PUBLIC_KINDS = ("web", "poster", "thumbnail", "proxy")
# The public page where citizens leave a message (rongmei.interaction), linked from 互动交流 columns.
INTERACTION_URL_NAMES = {"zh-hans": "interaction:submit", "en": "interaction:submit_en"}
# Search queries longer than this are cut.
QUERY_MAX = 100
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


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


def page_number(request) -> int:
    """The ``page`` parameter of a listing: 1 unless it is a number (too
    large a number is the listing's business: a 404)."""
    raw = request.GET.get("page", "")
    return int(raw) if _PAGE_NUMBER.fullmatch(raw) else 1


def _redirect(request, url):
    return HttpResponsePermanentRedirect(url)


def language_home(page) -> WebsiteHomePage | None:
    """The home page ``page`` is under (itself for a home page)."""
    if isinstance(page, WebsiteHomePage):
        return page
    if not page.path:
        return None
    return WebsiteHomePage.objects.ancestor_of(page).order_by("-depth").first()


class SitePage(RoutablePageMixin, Page):
    """What every page of the website shares: its language's words, its
    home page, the language switch, the cached rendering, the sitemap entry
    at the address it was asked at, and the redirect of an article's old
    address (``/story-12/``, or a column it has left) to where it is now."""

    class Meta:
        abstract = True

    @property
    def labels(self) -> dict:
        return LABELS.get(self.language, LABELS["zh-hans"])

    @property
    def html_lang(self) -> str:
        return HTML_LANG.get(self.language, self.language)

    @cached_property
    def home(self) -> WebsiteHomePage | None:
        return language_home(self)

    @property
    def current_column_id(self):
        return None

    def translation(self, home):
        """This page in ``home``'s language, or None."""
        return None

    def language_links(self) -> list[dict]:
        """For each other language: this page's translation, else that language's home page."""
        home = self.home
        if home is None:
            return []
        links = []
        for other in home.other_languages():
            target = self.translation(other) or other
            links.append({"page": target, "lang": other.html_lang, "name": other.labels["language_name"]})
        return links

    def serve_cached(self, request, variant, render):
        return cache.serve_cached(self, request, variant, render)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if request is not None:
            location = request.build_absolute_uri(self.get_url(request=request))
            urls = [{**url, "location": location} for url in urls]
        return urls

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            url = self._moved_article_url(request, path_components)
            if not url:
                raise
            return RouteResult(self, args=(_redirect, [url], {}))

    def _moved_article_url(self, request, path_components) -> str:
        if len(path_components) != 1 or not self.live:
            return ""
        moved = (
            ArticlePage.objects.live().public().filter(language=self.language, slug=path_components[0]).order_by("pk")
        ).first()
        return moved.get_url(request=request) if moved is not None else ""


class WebsiteHomePage(SitePage):
    """The home page of one language of the website: the headline and the
    latest articles of each column shown on it; site search at ``search/``."""

    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans", unique=True)
    site_name = models.CharField(
        _("site name"), max_length=100, blank=True, help_text=_("Shown in the header of every page of this language.")
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("site_name"), FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("language")]

    parent_page_types = ["wagtailcore.Page", "website.WebsiteHomePage"]
    subpage_types = ["website.ColumnPage", "website.WebsiteHomePage"]
    max_count = len(LANGUAGES)
    search_page_size = 20

    class Meta:
        verbose_name = _("website home page")
        verbose_name_plural = _("website home pages")

    @cached_property
    def home(self) -> WebsiteHomePage:
        return self

    def other_languages(self):
        return WebsiteHomePage.objects.live().exclude(pk=self.pk).order_by("path")

    def columns(self):
        """The live columns, in the page tree's order."""
        return ColumnPage.objects.live().public().child_of(self).order_by("path")

    @cached_property
    def menu_columns(self) -> list:
        return list(self.columns().filter(show_in_menus=True))

    def home_columns(self):
        return self.columns().filter(show_on_home=True)

    def column_of_kind(self, kind: str):
        """The first column of ``kind`` (live or not), in the tree's order."""
        return ColumnPage.objects.child_of(self).filter(kind=kind).order_by("path").first()

    def articles(self):
        """The live articles of every column of this language, newest first."""
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .filter(language=self.language)
            .order_by("-first_published_at", "-pk")
            .prefetch_related("images__asset__renditions", "video__renditions")
        )

    def headline(self):
        """The newest article marked as the headline, else the newest article."""
        return self.articles().filter(headline=True).first() or self.articles().first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["headline"] = self.headline()
        context["sections"] = [
            {"column": column, "articles": list(column.articles()[: column.home_items])}
            for column in self.home_columns()
        ]
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.serve_cached(request, "", lambda: super(WebsiteHomePage, self).index_route(request))

    @path("search/", name="search")
    def search_view(self, request):
        """Live articles of this language holding every word of ``q``
        (segmented like the index), best first, 20 a page. Not cached:
        queries are endless."""
        from rongmei.core.search import search

        query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX]
        number = page_number(request)
        size = self.search_page_size
        results = []
        if query:
            articles = ArticlePage.objects.live().public().filter(language=self.language)
            results = search(articles, query, limit=size + 1, offset=(number - 1) * size)
        labels = self.labels
        return self.render(
            request,
            template="website/search_results.html",
            context_overrides={
                "query": query,
                "results": results[:size],
                "number": number,
                "has_previous": number > 1,
                "has_next": len(results) > size,
                "page_label": labels["page"].format(number=number),
                "searching": True,
                "language_links": [
                    {**link, "url": self._search_url(link["page"], request, query)} for link in self.language_links()
                ],
            },
        )

    @staticmethod
    def _search_url(home, request, query: str) -> str:
        url = home.get_url(request=request) + home.reverse_subpage("search")
        return f"{url}?{urlencode({'q': query})}" if query else url


class ColumnPage(SitePage):
    """A column (栏目) of a home page: its articles, newest first, 20 a
    page, and their RSS feed at ``feed/``."""

    kind = models.CharField(_("kind"), max_length=20, choices=ColumnKind.choices, default=ColumnKind.NEWS)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans", editable=False)
    intro = models.TextField(_("introduction"), blank=True)
    show_on_home = models.BooleanField(
        _("show on the home page"),
        default=True,
        help_text=_("The home page shows the latest articles of this column. Order columns in the page explorer."),
    )
    home_items = models.PositiveSmallIntegerField(
        _("articles on the home page"), default=6, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("show_on_home"), FieldPanel("home_items")], heading=_("home page")),
    ]

    parent_page_types = ["website.WebsiteHomePage"]
    subpage_types = ["website.ArticlePage"]
    page_size = 20
    feed_size = 20

    class Meta:
        verbose_name = _("website column")
        verbose_name_plural = _("website columns")

    def clean(self):
        super().clean()
        if self.slug == "search":
            raise ValidationError({"slug": _("This address is the site search's: choose another one.")})

    def save(self, *args, **kwargs):
        home = language_home(self)
        if home is not None:
            self.language = home.language  # a column is in its home page's language
        return super().save(*args, **kwargs)

    @property
    def current_column_id(self):
        return self.pk

    @property
    def shows_pictures(self) -> bool:
        return self.kind in PICTURE_KINDS

    @property
    def interaction_url(self) -> str:
        if self.kind != ColumnKind.INTERACTION:
            return ""
        try:
            return reverse(INTERACTION_URL_NAMES.get(self.language, INTERACTION_URL_NAMES["zh-hans"]))
        except NoReverseMatch:
            return ""

    def articles(self):
        return (
            ArticlePage.objects.live()
            .public()
            .child_of(self)
            .order_by("-first_published_at", "-pk")
            .prefetch_related("images__asset__renditions", "video__renditions")
        )

    def translation(self, home):
        return (
            ColumnPage.objects.live().public().child_of(home).filter(kind=self.kind).order_by("path").first()
            if home is not None
            else None
        )

    @path("")
    def index_route(self, request, *args, **kwargs):
        number = page_number(request)

        def render():
            paginator = Paginator(self.articles(), self.page_size)
            try:
                listing = paginator.page(number)
            except EmptyPage:
                raise Http404 from None
            return self.render(
                request,
                context_overrides={
                    "listing": listing,
                    "page_label": self.labels["page_of"].format(number=number, total=paginator.num_pages),
                },
            )

        return self.serve_cached(request, f"page={number}", render)

    @path("feed/", name="feed")
    def feed(self, request):
        from rongmei.website.feeds import ColumnFeed

        return self.serve_cached(request, "feed", lambda: ColumnFeed()(request, column=self))


class ArticlePage(SitePage):
    """One story on the website, as its website version was approved."""

    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans", editable=False)
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"), blank=True)
    video = models.ForeignKey(
        "archive.Asset", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("video")
    )
    headline = models.BooleanField(
        _("headline"), default=False, help_text=_("The newest headline leads the home page of its language.")
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
        FieldPanel("headline"),
        MultiFieldPanel([FieldPanel("correction_note"), FieldPanel("corrected_at")], heading=_("correction")),
    ]
    # Found by site search in Chinese: jieba tokens in the index (see rongmei.core.search).
    search_fields = [
        *Page.search_fields,
        SegmentedSearchField("title", boost=10),
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("body", html=True),
        index.RelatedFields("images", [SegmentedSearchField("caption")]),
        index.FilterField("language"),
    ]

    parent_page_types = ["website.ColumnPage"]
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

    def clean(self):
        super().clean()
        if self.slug == "feed":
            raise ValidationError({"slug": _("This address is the column's feed: choose another one.")})

    def save(self, *args, **kwargs):
        self.body = sanitize_rich_text(self.body or "")
        home = language_home(self)
        if home is not None:
            self.language = home.language  # an article is in its home page's language
        return super().save(*args, **kwargs)

    @cached_property
    def column(self) -> ColumnPage | None:
        parent = self.get_parent()
        parent = parent.specific if parent is not None else None
        return parent if isinstance(parent, ColumnPage) else None

    @property
    def current_column_id(self):
        return self.get_parent().pk if self.path else None

    def translation(self, home):
        if not self.source_story_id or home is None:
            return None
        return (
            ArticlePage.objects.live()
            .public()
            .filter(source_story_id=self.source_story_id, language=home.language)
            .order_by("pk")
            .first()
        )

    @property
    def body_html(self) -> str:
        return render_body(self.body)

    @property
    def video_url(self) -> str:
        return public_media_url(self.video, ("proxy",))

    @property
    def video_poster_url(self) -> str:
        return public_media_url(self.video, ("poster", "thumbnail"))

    def _moved_article_url(self, request, path_components) -> str:
        return ""  # an article has no children: nothing below it moved

    @property
    def lead_image(self):
        images = list(self.images.all())  # prefetched by the listings
        return images[0] if images else None

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.serve_cached(request, "", lambda: super(ArticlePage, self).index_route(request))


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
