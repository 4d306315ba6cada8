"""The built-in government website (政府网站, :mod:`rongmei.website`):
publish, correct (update) or unpublish the story's article page in a
column of the home page of the channel's language: the column whose kind
the version names (``data["column"]``: "news", "notice", "policy", …, see
:class:`rongmei.website.models.ColumnKind`), else the language's first
news column. An article stays where it is once published: a correction,
or a move of the page to another column in the page explorer, never
changes its address through the queue.

The website lives in our own database, so each action is one database
transaction: the page and its published revision are written together or
not at all. Exactly once, twice over:

- the page is keyed by (story, language) (a unique constraint), and every
  action looks it up first, inside its transaction: a publish that finds
  the page updates it instead of making another;
- the action runs as a ``once`` step whose result is the page; the page
  keeps the idempotency key of the delivery that last wrote it, so after a
  crash between the commit and the checkpoint, :meth:`reconcile` sees that
  the step was done (the key is there) or was not (it is not, the
  transaction rolled back) and the action is done now, never twice.

A correction (action "update") keeps the page and its address and shows
a correction note with its date. An English page goes out only when an
editor has confirmed the translation. :func:`request_unpublish` is how an
operator takes a story off the website.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongmei.distribution.channels.base import Adapter, Context, Delivered, Permanent, Temporary
from rongmei.distribution.models import Delivery, DeliveryAction, DeliveryState, Trigger
from rongmei.versions.formats import website_en

A = DeliveryAction

# The note a corrected page shows when the version gives none (``data["correction_note"]``).
DEFAULT_CORRECTION_NOTES = {"zh-hans": "本文内容已更正。", "en": "This article has been corrected."}
UNTRANSLATED = {
    website_en.EMPTY: "英文稿尚未翻译，不能发布到英文网站：请先填写译文并由编辑确认。",
    website_en.MACHINE: "英文稿是机器翻译，尚未经编辑确认：请编辑确认译文后再发布到英文网站。",
}


def _models():
    from rongmei.website import models

    return models


def home_page(language: str):
    """The website's home page of ``language``, or None."""
    return _models().WebsiteHomePage.objects.filter(language=language).first()


def find_page(story_id, language: str):
    """The article page of the story in ``language`` (live or not), or None."""
    return _models().ArticlePage.objects.filter(source_story_id=story_id, language=language).first()


def column_for(home, kind: str | None):
    """The column of ``home`` an article of ``kind`` goes to: the first
    live column of that kind in the page tree's order, else the first
    live news column, else the first live column; None without any."""
    columns = _models().ColumnPage.objects.live().child_of(home).order_by("path")
    for wanted in (kind, "news"):
        if wanted:
            column = columns.filter(kind=wanted).first()
            if column is not None:
                return column
    return columns.first()


def _column_kind(payload) -> str:
    kind = (payload.get("data") or {}).get("column")
    return kind if isinstance(kind, str) else ""


def _version_column_kind(story_id, channel) -> str:
    """The column the story's version for ``channel`` names, if any."""
    from rongmei.versions.models import Version

    data = Version.objects.filter(story_id=story_id, channel=channel).values_list("data", flat=True).first()
    return _column_kind({"data": data}) if isinstance(data, dict) else ""


def _path(page) -> str:
    parts = page.get_url_parts()
    return parts[2] if parts else page.url_path


def page_url(page, channel) -> str:
    """The page's public address: its path on the site, after the channel's
    public address (or the platform's own address when it has none)."""
    parts = page.get_url_parts()
    path = parts[2] if parts else page.url_path
    return urljoin(channel.url or settings.WAGTAILADMIN_BASE_URL, path)


def _result(page, channel) -> dict:
    return {"page": page.pk, "url": page_url(page, channel), "live": page.live}


def article_slug(story_id) -> str:
    return f"story-{story_id}"


def article_url(story_id, channel) -> str:
    """The address of the story's article (the link a Weibo post or a
    WeChat article carries): where its page is, or, before it is
    published, where it will be: the column its version names (else the
    first news column) and the article's slug. Were the page to go
    elsewhere, the website redirects this address to it (``SitePage.route``)."""
    page = find_page(story_id, channel.language)
    if page is not None:
        return page_url(page, channel)
    base = channel.url or settings.WAGTAILADMIN_BASE_URL
    home = home_page(channel.language)
    parent = (column_for(home, _version_column_kind(story_id, channel)) or home) if home is not None else None
    path = _path(parent) if parent is not None else "/"
    return urljoin(base, f"{path}{article_slug(story_id)}/")


def _unique_slug(column, language: str, story_id) -> str:
    """``story-<id>``, unless a page of the column or an article of the
    language has it already (an article's slug names it in its language:
    an old address finds it by its slug)."""
    base = article_slug(story_id)
    slug, number = base, 1
    while (
        column.get_children().filter(slug=slug).exists()
        or _models().ArticlePage.objects.filter(language=language, slug=slug).exists()
    ):
        number += 1
        slug = f"{base}-{number}"
    return slug


def _images(payload) -> list[tuple[int, str]]:
    return [
        (image["asset"], (image.get("caption") or "").strip())
        for image in (payload.get("data") or {}).get("images") or []
        if isinstance(image, dict) and image.get("asset")
    ]


def _check_assets(payload) -> None:
    """Every picture and the video exist and may be shown to the public; the pictures have their web versions."""
    from rongmei.archive.models import Asset, Kind, Security, Status

    wanted = [(f"第{number}张图片", asset_id) for number, (asset_id, _caption) in enumerate(_images(payload), 1)]
    if payload.get("video"):
        wanted.append(("视频", payload["video"]))
    found = Asset.objects.in_bulk([asset_id for _what, asset_id in wanted])
    for what, asset_id in wanted:
        asset = found.get(asset_id)
        if asset is None:
            raise Permanent(f"{what}已从素材库删除，无法发布到网站。", code="asset_missing")
        if asset.security == Security.RESTRICTED:
            raise Permanent(f"{what}（{asset}）仅限指定人员查看，不能发布到公开网站。", code="asset_restricted")
        if asset.status == Status.PROCESSING and asset.kind == Kind.PHOTO:
            # Photos take a moment; a long video's web version may take long, and
            # the page shows the video once it is made.
            raise Temporary(f"{what}（{asset}）的网页版图片还在生成，稍后重试。", code="asset_processing")


class WebsiteAdapter(Adapter):
    code = "website"
    label = "政府网站"
    can_check = True
    give_up_after = dt.timedelta(hours=2)
    max_attempts = 6

    def prepare(self, delivery) -> None:
        channel = delivery.channel
        home = home_page(channel.language)
        if home is None:
            raise Permanent(f"网站没有“{channel.get_language_display()}”的首页，请先在网站页面中建立。", code="no_home")
        if delivery.action == A.UNPUBLISH:
            return
        if column_for(home, "news") is None:
            raise Permanent(
                f"网站“{channel.get_language_display()}”首页下没有已发布的栏目，请先在网站页面中建立栏目。",
                code="no_column",
            )
        payload = delivery.payload or {}
        if channel.language == "en":
            state = (payload.get("data") or {}).get("translation_state") or website_en.EMPTY
            if state != website_en.CONFIRMED:
                raise Permanent(UNTRANSLATED.get(state, UNTRANSLATED[website_en.MACHINE]), code="translation")
        if not (payload.get("title") or "").strip():
            raise Permanent("网站稿件缺少标题。", code="no_title")
        _check_assets(payload)

    def deliver(self, context: Context) -> Delivered:
        delivery = context.delivery
        result = context.once(delivery.action, lambda: apply(delivery))
        if delivery.action == A.UNPUBLISH:
            message = "已从网站撤下。" if result.get("page") else "网站上没有此稿件的页面，无需撤下。"
        elif delivery.action == A.UPDATE:
            message = "网站页面已更正，地址不变。"
        else:
            message = "已发布到网站。"
        url = "" if delivery.action == A.UNPUBLISH else result.get("url") or ""  # no live address any more
        return Delivered(external_id=str(result.get("page") or ""), url=url, message=message)

    def reconcile(self, context: Context, step: str):
        """Done if the page carries this delivery's key; otherwise the
        interrupted transaction rolled back and the step is still to do."""
        delivery = context.delivery
        page = find_page(delivery.story_id, delivery.channel.language)
        if page is not None and str(page.delivery_key) == str(delivery.idempotency_key):
            return _result(page, delivery.channel)
        return None

    def test_connection(self, channel, http) -> str:
        home = home_page(channel.language)
        if home is None:
            raise Permanent(f"网站没有“{channel.get_language_display()}”的首页。", code="no_home")
        column = column_for(home, "news")
        if column is None:
            raise Permanent(f"网站首页“{home.title}”下没有已发布的栏目。", code="no_column")
        return f"网站首页“{home.title}”可用，稿件默认发布在“{column.title}”栏目。"


def apply(delivery) -> dict:
    """Do the delivery's action on the website, in one transaction; the
    page's id, address and whether it is live."""
    try:
        with transaction.atomic():
            return _apply(delivery)
    except ValidationError as error:
        messages = "；".join(error.messages)
        raise Permanent(f"网站页面未能保存：{messages}", code="invalid") from error
    except IntegrityError as error:  # another writer made the page at the same moment: look again later
        raise Temporary("网站页面正被同时写入，稍后重试。", code="conflict") from error


def _apply(delivery) -> dict:
    models = _models()
    channel = delivery.channel
    language = channel.language
    home = models.WebsiteHomePage.objects.select_for_update().filter(language=language).first()
    if home is None:
        raise Permanent(f"网站没有“{channel.get_language_display()}”的首页。", code="no_home")
    page = (
        models.ArticlePage.objects.select_for_update()
        .filter(source_story_id=delivery.story_id, language=language)
        .first()
    )
    if delivery.action == A.UNPUBLISH:
        if page is None:
            return {"page": None, "url": "", "live": False}
        if page.live:
            page.unpublish(log_action=True)
        models.ArticlePage.objects.filter(pk=page.pk).update(delivery_key=delivery.idempotency_key)
        page.refresh_from_db()
        return _result(page, channel)

    payload = delivery.payload or {}
    images = [models.ArticleImage(asset_id=asset_id, caption=caption) for asset_id, caption in _images(payload)]
    if page is None:
        column = column_for(home, _column_kind(payload))
        if column is None:
            raise Permanent(f"网站“{channel.get_language_display()}”首页下没有已发布的栏目。", code="no_column")
        page = models.ArticlePage(
            title=payload.get("title", "").strip(),
            slug=_unique_slug(column, language, delivery.story_id),
            source_story_id=delivery.story_id,
            language=language,
            live=False,
        )
        _fill(page, payload, images)
        column.add_child(instance=page)
    else:  # a correction or a new version: the page stays in its column, at its address
        page.title = payload.get("title", "").strip()
        _fill(page, payload, images)
    if delivery.action == A.UPDATE:
        note = ((payload.get("data") or {}).get("correction_note") or "").strip()
        page.correction_note = note or DEFAULT_CORRECTION_NOTES.get(language, DEFAULT_CORRECTION_NOTES["zh-hans"])
        page.corrected_at = timezone.now()
    page.delivery_key = delivery.idempotency_key
    revision = page.save_revision(log_action=True)
    revision.publish(log_action=True)
    page = models.ArticlePage.objects.get(pk=page.pk)
    return _result(page, channel)


def _fill(page, payload, images) -> None:
    page.draft_title = page.title
    page.summary = (payload.get("summary") or "").strip()
    page.body = payload.get("body") or ""
    page.video_id = payload.get("video") or None
    page.images = images
    data = payload.get("data") or {}
    if "headline" in data:  # else as an editor left it
        page.headline = bool(data["headline"])


def request_unpublish(story, *, user=None) -> list[Delivery]:
    """Take the story off the website: one "unpublish" delivery for each
    website channel whose page of the story is live, queued when the
    transaction commits. Deliveries of the same revision are not repeated."""
    from rongmei.distribution import tasks
    from rongmei.distribution.channels import adapter_code
    from rongmei.distribution.queue import record_transition

    made = []
    now = timezone.now()
    with transaction.atomic():
        delivered = (
            Delivery.objects.filter(story=story, state=DeliveryState.DELIVERED, channel__kind="website")
            .exclude(action=A.UNPUBLISH)
            .select_related("channel")
            .order_by("-created_at", "-pk")
        )
        seen = set()
        for last in delivered:
            channel = last.channel
            if channel.pk in seen or adapter_code(channel) != WebsiteAdapter.code:
                continue
            seen.add(channel.pk)
            page = find_page(story.pk, channel.language)
            if page is None or not page.live:
                continue
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(
                        story=story,
                        channel=channel,
                        revision_id=story.live_revision_id,
                        action=A.UNPUBLISH,
                        trigger=Trigger.MANUAL,
                        payload=last.payload,
                        give_up_at=now + ADAPTER.give_up_after,
                    )
            except IntegrityError:
                continue  # this revision is being taken off this channel already
            record_transition(delivery, DeliveryState.PENDING, _("Unpublishing requested by an operator."), actor=user)
            made.append(delivery)
        ids = [d.pk for d in made]
        if ids:
            transaction.on_commit(lambda: tasks.enqueue(ids))
    return made


ADAPTER = WebsiteAdapter()
