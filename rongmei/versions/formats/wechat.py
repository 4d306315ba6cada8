"""WeChat official account article (微信公众号图文).

Limits from the draft API (``/cgi-bin/draft/add``): title ≤ 32 characters,
author ≤ 16, digest ≤ 128, content HTML under 20,000 characters; the cover
(``thumb_media_id``) is required. WeChat keeps inline styles only: no
scripts, forms, frames, external CSS or classes; images are uploaded at
publish time (``media/uploadimg``), so the body refers to them by asset.

``data``: ``template`` (a key of :data:`TEMPLATES`), ``crops`` (the cover's
2.35:1 and 1:1 boxes in pixels of the original), ``content_source_url``,
``need_open_comment``.
"""

import re

import nh3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem
from rongmei.versions.formats._package import credit, crop_box, source

CODE = "wechat"
LABEL = gettext_lazy("WeChat article")
PREVIEW_TEMPLATE = "versions/preview/wechat.html"

TITLE_MAX = 32
AUTHOR_MAX = 16
DIGEST_MAX = 128
CONTENT_MAX = 20_000
COVER_RATIOS = {"2.35:1": 2.35, "1:1": 1.0}

# Per-account style templates: inline styles for each tag (WeChat drops
# <style> and class, so every element carries its own style).
TEMPLATES = {
    "classic": {
        "label": gettext_lazy("Classic"),
        "p": "margin:0 0 1em;font-size:16px;line-height:1.75;color:#333;text-align:justify;",
        "h2": "margin:1.5em 0 .8em;font-size:18px;font-weight:bold;color:#b71c1c;",
        "h3": "margin:1.2em 0 .6em;font-size:17px;font-weight:bold;color:#333;",
        "h4": "margin:1em 0 .5em;font-size:16px;font-weight:bold;color:#333;",
        "blockquote": "margin:1em 0;padding:.6em 1em;border-left:3px solid #b71c1c;background:#f7f7f7;color:#555;",
        "img": "display:block;max-width:100%;margin:1em auto;",
        "figcaption": "font-size:14px;color:#888;text-align:center;margin:-.5em 0 1em;",
    },
    "modern": {
        "label": gettext_lazy("Modern"),
        "p": "margin:0 0 1.2em;font-size:15px;line-height:1.9;color:#3f3f3f;letter-spacing:.5px;",
        "h2": "margin:2em 0 1em;padding-left:8px;border-left:4px solid #1565c0;font-size:17px;color:#1565c0;",
        "h3": "margin:1.5em 0 .8em;font-size:16px;color:#1565c0;",
        "h4": "margin:1.2em 0 .6em;font-size:15px;color:#3f3f3f;",
        "blockquote": "margin:1em 0;padding:1em;border-radius:6px;background:#eef4fb;color:#3f3f3f;",
        "img": "display:block;width:100%;margin:1.2em 0;border-radius:4px;",
        "figcaption": "font-size:13px;color:#999;text-align:center;margin:-.8em 0 1.2em;",
    },
    "government": {
        "label": gettext_lazy("Government"),
        "p": "margin:0 0 1em;font-size:16px;line-height:1.8;color:#222;text-indent:2em;",
        "h2": "margin:1.5em 0 1em;font-size:18px;font-weight:bold;text-align:center;color:#c00;",
        "h3": "margin:1.2em 0 .8em;font-size:16px;font-weight:bold;color:#222;",
        "h4": "margin:1em 0 .6em;font-size:16px;color:#222;",
        "blockquote": "margin:1em 2em;color:#444;font-family:KaiTi,STKaiti,serif;",
        "img": "display:block;max-width:100%;margin:1em auto;",
        "figcaption": "font-size:14px;color:#666;text-align:center;margin:-.5em 0 1em;",
    },
}
DEFAULT_TEMPLATE = "classic"

# What WeChat keeps in an article body.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sup", "sub", "blockquote",
    "ul", "ol", "li", "hr", "img", "figure", "figcaption", "span", "section",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"*": {"style"}, "img": {"alt", "data-asset-id", "data-image-id", "src"}}
# What makes WeChat refuse or strip a body.
FORBIDDEN = re.compile(
    r"<\s*(script|style|form|input|button|select|textarea|iframe|frame|object|embed|link|meta)\b"
    r"|\s(class|on\w+)\s*="
    r"|javascript:",
    re.IGNORECASE,
)
_EMBED_IMAGE = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
_START_TAG = re.compile(r"<(p|h2|h3|h4|blockquote|img|figcaption)(\s[^>]*)?(/?)>")


def _image(match) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(0)))
    return f'<img data-image-id="{attributes.get("id", "")}" alt="{attributes.get("alt", "")}">'


def render_body(html: str, template: str = DEFAULT_TEMPLATE) -> str:
    """Story rich text as WeChat article HTML: sanitised with nh3 to what
    WeChat keeps, every element styled inline by ``template``."""
    styles = TEMPLATES.get(template, TEMPLATES[DEFAULT_TEMPLATE])
    html = _EMBED_IMAGE.sub(_image, html or "")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"img": {"alt", "data-asset-id", "data-image-id"}},
        url_schemes={"https"},
        link_rel=None,
        strip_comments=True,
    )

    def styled(match):
        tag, rest, close = match.group(1), match.group(2) or "", match.group(3)
        rest = re.sub(r'\sstyle="[^"]*"', "", rest)
        return f'<{tag} style="{styles[tag]}"{rest}{close}>'

    html = _START_TAG.sub(styled, html)
    return sanitise(html)


def sanitise(html: str) -> str:
    """``html`` reduced to what WeChat accepts (inline styles kept)."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https"},
        link_rel=None,
        strip_comments=True,
    )


def cover_crops(asset) -> dict:
    """The cover's crop boxes (2.35:1 for the feed, 1:1 for the share card)."""
    if asset is None:
        return {}
    return {name: crop_box(asset.width, asset.height, ratio) for name, ratio in COVER_RATIOS.items()}


def generate(story, channel) -> dict:
    """The WeChat article of ``story``: trimmed title, author and digest,
    the first photo as cover with its crops, styled body."""
    package = source(story)
    cover = package.photos[0] if package.photos else None
    return {
        "title": rules.trim(package.title, TITLE_MAX),
        "author": credit(package.reporters, AUTHOR_MAX),
        "summary": package.summary_within(DIGEST_MAX),
        "body": render_body(package.html, DEFAULT_TEMPLATE),
        "cover": cover,
        "data": {
            "template": DEFAULT_TEMPLATE,
            "crops": cover_crops(cover),
            "content_source_url": package.website_url,
            "need_open_comment": True,
        },
    }


def normalise(version) -> None:
    """After an edit: the body sanitised, the crops following the cover."""
    version.body = sanitise(version.body)
    data = dict(version.data or {})
    if data.get("template") not in TEMPLATES:
        data["template"] = DEFAULT_TEMPLATE
    if version.cover_id and not data.get("crops"):
        data["crops"] = cover_crops(version.cover)
    version.data = data


def counters(version) -> list[Counter]:
    """Title, author and digest in characters (code points), body in HTML characters."""
    return [
        Counter("title", rules.length(version.title), TITLE_MAX),
        Counter("author", rules.length(version.author), AUTHOR_MAX),
        Counter("summary", rules.length(version.summary), DIGEST_MAX),
        Counter("body", rules.length(version.body), CONTENT_MAX),
    ]


def validate(version) -> list[Problem]:
    """What WeChat would refuse: limits, a missing cover, rejected HTML, no text."""
    problems = []
    data = version.data or {}
    body = version.body or ""
    if not (version.title or "").strip():
        problems.append(Problem("title", _("WeChat title missing.")))
    for counter in counters(version):
        if counter.over:
            problems.append(
                Problem(
                    counter.field,
                    _("WeChat %(field)s is %(count)d characters long; the limit is %(limit)d.")
                    % {"field": _field_name(counter.field), "count": counter.count, "limit": counter.limit},
                )
            )
    if version.cover_id is None:
        problems.append(Problem("cover", _("WeChat cover missing: choose a cover from the story's pictures.")))
    elif version.cover.kind != "photo":
        problems.append(Problem("cover", _("The WeChat cover must be a photo.")))
    found = sorted({(m.group(1) or m.group(2) or "javascript:").lower() for m in FORBIDDEN.finditer(body)})
    if found:
        problems.append(
            Problem(
                "body",
                _("The WeChat body contains what WeChat rejects (%(found)s): generate it again or remove them.")
                % {"found": "、".join(found)},
            )
        )
    if not rules.plain(body):
        problems.append(Problem("body", _("The WeChat body has no text.")))
    if data.get("template", DEFAULT_TEMPLATE) not in TEMPLATES:
        problems.append(Problem("template", _("Unknown WeChat style template.")))
    url = data.get("content_source_url") or ""
    if url and not re.match(r"^https?://", url):
        problems.append(Problem("content_source_url", _("The original-source link must start with http(s)://.")))
    return problems


def _field_name(field: str) -> str:
    return {
        "title": _("title"),
        "author": _("author"),
        "summary": _("digest"),
        "body": _("body"),
    }[field]
