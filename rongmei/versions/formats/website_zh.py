"""Government website page, Chinese (政府网站中文版): title, summary, the
body as rich text, and pictures with captions.

``data``: ``images``, a list of ``{"asset": id, "caption": str}``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.core.text import sanitize_rich_text
from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem, field_label
from rongmei.versions.formats._package import caption, source

CODE = "website_zh"
LABEL = gettext_lazy("Website (Chinese)")
PREVIEW_TEMPLATE = "versions/preview/website.html"

TITLE_MAX = 80
SUMMARY_MAX = 200


def generate(story, channel) -> dict:
    """The page: the story's title, its summary (or one from TextRank), its
    body, and its photos with their catalogue captions."""
    package = source(story)
    return {
        "title": package.title,
        "subtitle": package.subtitle,
        "kicker": package.kicker,
        "summary": package.summary_within(SUMMARY_MAX),
        "body": sanitize_rich_text(package.html),
        "data": {"images": [{"asset": photo.pk, "caption": caption(photo)} for photo in package.photos]},
    }


def normalise(version) -> None:
    """After an edit: the body sanitised like a story body."""
    version.body = sanitize_rich_text(version.body or "")


def counters(version) -> list[Counter]:
    """Title and summary in characters."""
    return [
        Counter("title", rules.length(version.title), TITLE_MAX),
        Counter("summary", rules.length(version.summary), SUMMARY_MAX),
    ]


def validate(version) -> list[Problem]:
    """A title, a body with text or pictures, a caption for every picture."""
    return common_problems(version, counters(version))


def common_problems(version, counted) -> list[Problem]:
    problems = []
    if not (version.title or "").strip():
        problems.append(Problem("title", _("The website title is missing.")))
    for counter in counted:
        if counter.over:
            problems.append(
                Problem(
                    counter.field,
                    _("The website %(field)s is %(count)d characters long; the limit is %(limit)d.")
                    % {"field": field_label(counter.field), "count": counter.count, "limit": counter.limit},
                )
            )
    images = (version.data or {}).get("images") or []
    if not rules.plain(version.body) and not images:
        problems.append(Problem("body", _("The website page has neither text nor pictures.")))
    for number, image in enumerate(images, start=1):
        if not (image.get("caption") or "").strip():
            problems.append(
                Problem("images", _("Picture %(number)d on the website has no caption.") % {"number": number})
            )
    return problems
