"""The website checked against the national inspection rules for
government websites (国办秘函〔2019〕19号, ../shared/docs/website-inspection.md),
so the center is warned days before anything becomes a veto item (单项否决).

:func:`inspect` returns one :class:`Flag` per thing it looked at that has
a limit (each home page, each column) and one per problem found:

- ``home_stale``: a home page whose latest article is older than 2 weeks
  (a veto item by itself);
- ``column_stale``: a news, photo or video column (要闻动态, 图片新闻,
  视频新闻) not updated within 2 weeks, a notice or policy column (通知公告,
  政策文件) within 6 months; ``columns_stale``: 5 such columns are a veto
  item, and the flag says in how many days the fifth goes stale;
- ``column_empty``: a column without any live article; ``columns_empty``:
  5 blank columns are a veto item;
- ``messages_unanswered``: public messages waiting longer than 3 months
  (from :func:`rongmei.interaction.queries.unanswered`);
- ``broken_link`` and ``missing_image``: a live article linking to a page,
  document, path or file of our own site that does not exist or is not
  live, a picture or a video without its public file (nothing is fetched
  from the network: links to other sites are not checked);
- ``slow_page`` and ``page_error``: the home pages, the columns and the
  latest articles rendered in-process, timed: over 3 s is a warning, 15 s
  is the rule's limit;
- ``skipped``: a rule that could not be checked, and why.

The daily job (:mod:`rongmei.analytics.tasks`) stores the flags, and the
dashboard shows them (:mod:`rongmei.analytics.panels`)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import asdict, dataclass, fields
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.db.models import F, Max
from django.http import Http404
from django.http.request import validate_host
from django.test import RequestFactory
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from rongmei.website import models

logger = logging.getLogger(__name__)

# The rules' limits (see ../shared/docs/website-inspection.md).
HOME_LIMIT_DAYS = 14
NEWS_LIMIT_DAYS = 14
NOTICE_LIMIT_DAYS = 183  # 6 months
MESSAGE_LIMIT_DAYS = 90  # 3 months
STALE_COLUMNS_VETO = 5
BLANK_COLUMNS_VETO = 5
SLOW_LIMIT_SECONDS = 15.0
SLOW_WARNING_SECONDS = 3.0
# How many of each language's latest articles are timed.
TIMED_ARTICLES = 5
# How many broken links or missing files are listed at most (the rest are counted).
MAX_PROBLEMS = 50

# The severities, most urgent first.
VETO, WARNING, SOON, OK = "veto", "warning", "soon", "ok"
SEVERITIES = (VETO, WARNING, SOON, OK)
SEVERITY_LABELS = {
    VETO: _("Veto item"),
    WARNING: _("Warning"),
    SOON: _("Due soon"),
    OK: _("Within limits"),
}

HOME_STALE = "home_stale"
COLUMN_STALE = "column_stale"
COLUMNS_STALE = "columns_stale"
COLUMN_EMPTY = "column_empty"
COLUMNS_EMPTY = "columns_empty"
MESSAGES_UNANSWERED = "messages_unanswered"
BROKEN_LINK = "broken_link"
MISSING_IMAGE = "missing_image"
SLOW_PAGE = "slow_page"
PAGE_ERROR = "page_error"
SKIPPED = "skipped"
RULE_LABELS = {
    HOME_STALE: _("Home page not updated"),
    COLUMN_STALE: _("Column not updated"),
    COLUMNS_STALE: _("Stale columns"),
    COLUMN_EMPTY: _("Empty column"),
    COLUMNS_EMPTY: _("Blank columns"),
    MESSAGES_UNANSWERED: _("Messages unanswered"),
    BROKEN_LINK: _("Broken link"),
    MISSING_IMAGE: _("Missing image or video"),
    SLOW_PAGE: _("Slow page"),
    PAGE_ERROR: _("Page fails to open"),
    SKIPPED: _("Not checked"),
}


@dataclass(frozen=True)
class Freshness:
    """How often a kind of page must be updated: ``limit`` days, flagged
    ``soon`` when ``soon`` days or fewer are left, ``warning`` from
    ``warning`` days left."""

    limit: int
    soon: int
    warning: int

    def severity(self, days_left: int | None) -> str:
        if days_left is None or days_left <= 0:
            return VETO
        if days_left <= self.warning:
            return WARNING
        if days_left <= self.soon:
            return SOON
        return OK


HOME_FRESHNESS = Freshness(HOME_LIMIT_DAYS, soon=7, warning=3)
NEWS_FRESHNESS = Freshness(NEWS_LIMIT_DAYS, soon=7, warning=3)
NOTICE_FRESHNESS = Freshness(NOTICE_LIMIT_DAYS, soon=30, warning=14)
MESSAGE_FRESHNESS = Freshness(MESSAGE_LIMIT_DAYS, soon=30, warning=14)
# The column kinds with an update rule (ColumnPage.kind).
COLUMN_FRESHNESS = {
    "news": NEWS_FRESHNESS,
    "photo": NEWS_FRESHNESS,
    "video": NEWS_FRESHNESS,
    "notice": NOTICE_FRESHNESS,
    "policy": NOTICE_FRESHNESS,
}
# Columns whose content is not articles (the messages' column): never "empty".
NOT_ARTICLE_COLUMNS = {"interaction"}
# The user agent of the in-process requests: "bot", so no view is counted.
PROBE_AGENT = "RongmeiInspection/1.0 (inspection bot)"


@dataclass(frozen=True)
class Flag:
    """One finding: the rule (``rule``), the page or column it concerns
    (``subject`` and its admin ``url``), the days since its last update
    (``days``), the rule's limit (``limit``, in days, or seconds for
    speed, or columns for counts), the days left before it is a veto item
    (``days_left``; 0 or less: it is one now) and how urgent it is
    (``severity``). ``detail`` is the link, file or figure concerned."""

    rule: str
    subject: str
    url: str = ""
    days: int | None = None
    limit: float | None = None
    days_left: int | None = None
    severity: str = WARNING
    detail: str = ""
    language: str = ""
    seconds: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Flag:
        names = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES)

    @property
    def sort_key(self) -> tuple:
        """Most urgent first; then fewest days left."""
        return (self.rank, self.days_left if self.days_left is not None else 10**6, self.rule, self.subject)

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS.get(self.rule, self.rule))

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, self.severity))

    @property
    def overdue(self) -> bool:
        """Past its limit: a veto item by itself (a home page, messages) or
        counting towards one (a column)."""
        return self.days_left is not None and self.days_left <= 0


def inspect(today: dt.date | None = None, *, quick: bool = False) -> list[Flag]:
    """Check the website as of ``today`` (the local date by default); the
    flags, most urgent first. A ``quick`` inspection reads the database
    only: it neither renders pages to time them nor asks the storage
    whether each picture's file is there."""
    today = today or timezone.localdate()
    flags: list[Flag] = []
    flags += _home_pages(today)
    flags += _columns(today)
    flags += _messages(today)
    flags += _links_and_images(check_files=not quick)
    if not quick:
        flags += _speed()
    return sorted(flags, key=lambda flag: flag.sort_key)


# -- helpers


def _edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _age(today: dt.date, moment: dt.datetime | None) -> int | None:
    """Whole days from ``moment`` to ``today`` (0 for a moment after it)."""
    if moment is None:
        return None
    return max((today - timezone.localtime(moment).date()).days, 0)


def _homes():
    return list(models.WebsiteHomePage.objects.live().order_by("path"))


def _in_site(queryset, home, homes):
    """``queryset`` (pages) limited to ``home``'s site: its descendants,
    less those of another language's home page below it (the English home
    page is a child of the Chinese one)."""
    queryset = queryset.descendant_of(home)
    for other in homes:
        if other.pk != home.pk and other.path.startswith(home.path):
            queryset = queryset.not_descendant_of(other, inclusive=True)
    return queryset


def _latest_publication(articles) -> dt.datetime | None:
    return articles.aggregate(latest=Max("first_published_at"))["latest"]


# -- freshness


def _home_pages(today: dt.date) -> list[Flag]:
    homes = _homes()
    flags = []
    for home in homes:
        latest = _latest_publication(_in_site(models.ArticlePage.objects.live(), home, homes))
        days = _age(today, latest or home.last_published_at)
        days_left = None if days is None else HOME_FRESHNESS.limit - days
        flags.append(
            Flag(
                rule=HOME_STALE,
                subject=home.title,
                url=_edit_url(home),
                days=days,
                limit=HOME_FRESHNESS.limit,
                days_left=days_left,
                severity=HOME_FRESHNESS.severity(days_left),
                language=home.language,
            )
        )
    return flags


def _column_model():
    return getattr(models, "ColumnPage", None)


def _columns(today: dt.date) -> list[Flag]:
    ColumnPage = _column_model()
    if ColumnPage is None:
        return [Flag(rule=SKIPPED, subject=str(_("Columns")), severity=OK, detail="ColumnPage")]
    stale, empty = [], []
    for column in ColumnPage.objects.live().order_by("path"):
        language = getattr(column, "language", "")
        articles = models.ArticlePage.objects.live().descendant_of(column)
        latest = _latest_publication(articles)
        common = {"subject": column.title, "url": _edit_url(column), "language": language}
        if latest is None:
            if column.kind not in NOT_ARTICLE_COLUMNS:
                empty.append(Flag(rule=COLUMN_EMPTY, limit=BLANK_COLUMNS_VETO, **common))
            continue
        freshness = COLUMN_FRESHNESS.get(column.kind)
        if freshness is None:
            continue
        days = _age(today, latest)
        days_left = freshness.limit - days
        stale.append(
            Flag(
                rule=COLUMN_STALE,
                days=days,
                limit=freshness.limit,
                days_left=days_left,
                severity=freshness.severity(days_left),
                **common,
            )
        )
    flags = []
    # 5 stale columns are a veto item: the fifth column's days left are the site's.
    lefts = sorted(max(flag.days_left, 0) for flag in stale)
    stale_now = sum(1 for flag in stale if flag.overdue)
    if len(lefts) >= STALE_COLUMNS_VETO:
        days_left = lefts[STALE_COLUMNS_VETO - 1]
        severity = NEWS_FRESHNESS.severity(days_left)
        if severity != OK:
            flags.append(
                Flag(
                    rule=COLUMNS_STALE,
                    subject=str(_("Columns")),
                    days_left=days_left,
                    limit=STALE_COLUMNS_VETO,
                    severity=severity,
                    detail=str(stale_now),
                )
            )
    site_veto = stale_now >= STALE_COLUMNS_VETO
    for flag in stale:
        # One stale column is a warning (it counts towards the veto item); five are the veto item.
        severity = (VETO if site_veto else WARNING) if flag.overdue else flag.severity
        flags.append(Flag(**{**flag.as_dict(), "severity": severity}))
    blank_veto = len(empty) >= BLANK_COLUMNS_VETO
    if blank_veto:
        flags.append(
            Flag(
                rule=COLUMNS_EMPTY,
                subject=str(_("Columns")),
                limit=BLANK_COLUMNS_VETO,
                days_left=0,
                severity=VETO,
                detail=str(len(empty)),
            )
        )
    for flag in empty:
        flags.append(Flag(**{**flag.as_dict(), "severity": VETO if blank_veto else WARNING}))
    return flags


def _message_url(message) -> str:
    try:
        return reverse("public_messages:edit", args=[message.pk])
    except NoReverseMatch:
        return ""


def _messages(today: dt.date) -> list[Flag]:
    try:
        from rongmei.interaction import queries
    except ImportError:
        return [Flag(rule=SKIPPED, subject=str(_("Messages")), severity=OK, detail="rongmei.interaction.queries")]
    # Flagged from ``soon`` days before the limit; ages count to ``today``.
    threshold = MESSAGE_FRESHNESS.limit - MESSAGE_FRESHNESS.soon
    waiting = [
        (days, message)
        for message in queries.unanswered(max(threshold + (timezone.localdate() - today).days, 0))
        if (days := _age(today, message.created_at)) is not None and days >= threshold
    ]
    if not waiting:
        return []
    oldest, message = max(waiting, key=lambda pair: pair[0])
    days_left = MESSAGE_FRESHNESS.limit - oldest
    return [
        Flag(
            rule=MESSAGES_UNANSWERED,
            subject=str(message),
            url=_message_url(message),
            days=oldest,
            limit=MESSAGE_FRESHNESS.limit,
            days_left=days_left,
            severity=MESSAGE_FRESHNESS.severity(days_left),
            detail=str(len(waiting)),
            language=getattr(message, "language", ""),
        )
    ]


# -- links and images


class _References(HTMLParser):
    """The links, image embeds and images of a rich-text body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"a", "embed", "img"}:
            self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _references(html: str) -> list[tuple[str, dict]]:
    parser = _References()
    parser.feed(html or "")
    parser.close()
    return parser.found


def _own_hosts() -> set[str]:
    """The host names our site answers on: the Wagtail sites', the public
    address of the admin and of the website channels."""
    hosts = {site.hostname.lower() for site in Site.objects.all() if site.hostname}
    addresses = [settings.WAGTAILADMIN_BASE_URL]
    try:
        from rongmei.distribution.models import Channel

        addresses += list(Channel.objects.filter(kind="website").exclude(url="").values_list("url", flat=True))
    except Exception:  # the distribution app's tables are not there: its channels are no hosts then
        logger.debug("Website channels not read", exc_info=True)
    hosts |= {(urlsplit(address).hostname or "").lower() for address in addresses}
    return hosts - {""}


def _probe_host() -> str:
    """A host name the in-process requests may carry (ALLOWED_HOSTS)."""
    site = Site.objects.filter(is_default_site=True).first()
    candidates = [site.hostname] if site and site.hostname else []
    candidates += [host for host in settings.ALLOWED_HOSTS if host and host != "*" and not host.startswith(".")]
    for host in candidates:
        if validate_host(host, settings.ALLOWED_HOSTS):
            return host
    return "localhost"


class _PathChecker:
    """Whether a path of our own site answers, decided from the database
    (no request is made): a page path must route to a live page, a public
    media path must be a public rendition with its file, a file under
    MEDIA_URL must exist, any other path must match a URL pattern."""

    def __init__(self, check_files: bool = True):
        self.factory = RequestFactory(HTTP_HOST=_probe_host(), HTTP_USER_AGENT=PROBE_AGENT)
        self.check_files = check_files
        self.known: dict[tuple, bool] = {}

    def __call__(self, path: str, host: str = "") -> bool:
        if (host, path) not in self.known:
            self.known[host, path] = self._check(path, host)
        return self.known[host, path]

    def _check(self, path: str, host: str) -> bool:
        if path.startswith(settings.MEDIA_URL):
            from django.core.files.storage import default_storage

            return not self.check_files or default_storage.exists(path[len(settings.MEDIA_URL) :])
        match = None
        for candidate in (path, path if path.endswith("/") else path + "/"):
            try:
                match = resolve(candidate)
                path = candidate
                break
            except Resolver404:
                continue
        if match is None:
            return False
        if match.url_name == "wagtail_serve":
            request = self.factory.get(path, **_host_header(host))
            try:
                return Page.route_for_request(request, path) is not None
            except Http404:
                return False
        if match.namespace == "website" and match.url_name == "media":
            return _public_file(int(match.kwargs["pk"]), match.kwargs["kind"], self.check_files)
        return True


def _host_header(host: str) -> dict:
    """The Host header for a request to ``host`` (one of our sites), when
    it may be used (ALLOWED_HOSTS); none otherwise."""
    return {"HTTP_HOST": host} if host and validate_host(host, settings.ALLOWED_HOSTS) else {}


def _public_file(asset_id: int, kind: str, check_storage: bool = True) -> bool:
    from rongmei.website.views import is_public

    if kind not in models.PUBLIC_KINDS or not is_public(asset_id):
        return False
    from rongmei.archive.models import Rendition

    rendition = Rendition.objects.filter(asset_id=asset_id, kind=kind).first()
    return rendition is not None and _file_exists(rendition.file, check_storage)


def _file_exists(field_file, check_storage: bool = True) -> bool:
    if not check_storage:
        return bool(field_file)
    try:
        return bool(field_file) and field_file.storage.exists(field_file.name)
    except Exception:  # an unreachable object store: the file cannot be shown either
        logger.warning("Could not check the file %s", getattr(field_file, "name", ""), exc_info=True)
        return False


def _rendition_file(asset, kinds, check_storage: bool) -> bool:
    for kind in kinds:
        rendition = asset.rendition(kind)
        if rendition is not None:
            return _file_exists(rendition.file, check_storage)
    return False


def _internal_path(address: str, hosts: set[str]) -> tuple[str, str] | None:
    """The host ("" for a path alone) and path of ``address`` on our own
    site, or None for another site's address, a mail or phone link, or an
    anchor."""
    address = (address or "").strip()
    if not address or address.startswith("#"):
        return None
    parts = urlsplit(address)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc and (parts.hostname or "").lower() not in hosts:
        return None
    if not parts.netloc and not address.startswith("/"):
        return None  # a relative link: rich text has none
    return (parts.netloc.lower(), parts.path or "/")


def _links_and_images(check_files: bool = True) -> list[Flag]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    Image, Document = get_image_model(), get_document_model()
    hosts = _own_hosts()
    check_path = _PathChecker(check_files)
    problems: list[Flag] = []
    articles = (
        models.ArticlePage.objects.live()
        .order_by("path")
        .select_related("video")
        .prefetch_related("images__asset__renditions", "video__renditions")
    )
    found = []  # (article, rule, what, kind, key)
    for article in articles.iterator(chunk_size=200):
        for tag, attrs in _references(article.body):
            if tag == "a" and attrs.get("linktype") == "page":
                found.append((article, BROKEN_LINK, f"page:{attrs.get('id')}", "page", attrs.get("id")))
            elif tag == "a" and attrs.get("linktype") == "document":
                found.append((article, BROKEN_LINK, f"document:{attrs.get('id')}", "document", attrs.get("id")))
            elif tag == "a":
                path = _internal_path(attrs.get("href", ""), hosts)
                if path is not None:
                    found.append((article, BROKEN_LINK, attrs.get("href", ""), "path", path))
            elif tag == "embed" and attrs.get("embedtype") == "image":
                found.append((article, MISSING_IMAGE, f"image:{attrs.get('id')}", "image", attrs.get("id")))
            elif tag == "img":
                path = _internal_path(attrs.get("src", ""), hosts)
                if path is not None:
                    found.append((article, MISSING_IMAGE, attrs.get("src", ""), "path", path))
        for picture in article.images.all():
            if not _rendition_file(picture.asset, ("web", "thumbnail"), check_files):
                found.append((article, MISSING_IMAGE, picture.caption or str(picture.asset), "missing", None))
        if article.video_id and not _rendition_file(article.video, ("proxy",), check_files):
            found.append((article, MISSING_IMAGE, str(article.video), "missing", None))

    def ids(kind):
        return {int(key) for _a, _r, _w, k, key in found if k == kind and str(key or "").isdigit()}

    pages = set(Page.objects.filter(pk__in=ids("page"), live=True).values_list("pk", flat=True))
    documents = set(Document.objects.filter(pk__in=ids("document")).values_list("pk", flat=True))
    images = {image.pk: image for image in Image.objects.filter(pk__in=ids("image"))}
    for article, rule, what, kind, key in found:
        if kind == "page":
            ok = str(key or "").isdigit() and int(key) in pages
        elif kind == "document":
            ok = str(key or "").isdigit() and int(key) in documents
        elif kind == "image":
            image = images.get(int(key)) if str(key or "").isdigit() else None
            ok = image is not None and _file_exists(image.file, check_files)
        elif kind == "path":
            ok = check_path(key[1], key[0])
        else:
            ok = False
        if not ok:
            problems.append(
                Flag(
                    rule=rule,
                    subject=article.title,
                    url=_edit_url(article),
                    severity=WARNING,
                    detail=what[:500],
                    language=article.language,
                )
            )
    if len(problems) > MAX_PROBLEMS:
        left = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS]
        problems.append(Flag(rule=BROKEN_LINK, subject="…", severity=WARNING, detail=f"+{left}"))
    return problems


# -- speed


class _Probe(BaseHandler):
    """Django's request handling (the middleware and the views) called
    in-process, without a server, a network or the request signals."""

    def __init__(self):
        super().__init__()
        self.load_middleware()
        self.factory = RequestFactory(HTTP_HOST=_probe_host(), HTTP_USER_AGENT=PROBE_AGENT)

    def time(self, path: str, host: str = "") -> tuple[int, float]:
        request = self.factory.get(path, **_host_header(host))
        started = time.perf_counter()
        response = self.get_response(request)
        return response.status_code, time.perf_counter() - started


def _timed_pages() -> list:
    homes = _homes()
    pages = list(homes)
    ColumnPage = _column_model()
    if ColumnPage is not None:
        pages += list(ColumnPage.objects.live().order_by("path"))
    for home in homes:
        articles = _in_site(models.ArticlePage.objects.live(), home, homes)
        pages += list(articles.order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:TIMED_ARTICLES])
    return pages


def _speed() -> list[Flag]:
    probe = _Probe()
    flags = []
    for page in _timed_pages():
        parts = page.get_url_parts()
        if not parts:
            continue
        _site, root_url, path = parts
        try:
            status, seconds = probe.time(path, urlsplit(root_url or "").netloc)
        except Exception as error:  # get_response turns errors into 500s; this is what is left
            logger.warning("Could not time %s", path, exc_info=True)
            status, seconds = 0, 0.0
            path = f"{path} ({type(error).__name__})"
        common = {
            "subject": page.title,
            "url": _edit_url(page),
            "language": getattr(page, "language", ""),
            "seconds": round(seconds, 3),
        }
        if status >= 400 or status == 0:
            flags.append(Flag(rule=PAGE_ERROR, severity=VETO, detail=f"{status} {path}", **common))
        elif seconds >= SLOW_LIMIT_SECONDS:
            flags.append(Flag(rule=SLOW_PAGE, limit=SLOW_LIMIT_SECONDS, severity=VETO, detail=path, **common))
        elif seconds > SLOW_WARNING_SECONDS:
            flags.append(Flag(rule=SLOW_PAGE, limit=SLOW_LIMIT_SECONDS, severity=WARNING, detail=path, **common))
    return flags
