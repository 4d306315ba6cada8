"""Periodical article (《西城文苑》): the full story with 引题 and 副题,
author and summary; a periodical has room, so nothing is cut."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.core.text import sanitize_rich_text
from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem, field_label
from rongmei.versions.formats._package import source

CODE = "periodical"
LABEL = gettext_lazy("Periodical article")
PREVIEW_TEMPLATE = "versions/preview/periodical.html"

TITLE_MAX = 40
SUMMARY_MAX = 300


def generate(story, channel) -> dict:
    """The whole story as an article."""
    package = source(story)
    return {
        "title": package.title,
        "kicker": package.kicker,
        "subtitle": package.subtitle,
        "author": " ".join(package.reporters),
        "summary": package.summary_within(SUMMARY_MAX),
        "body": sanitize_rich_text(package.html),
        "data": {"images": [photo.pk for photo in package.photos]},
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
    """A title within the limit and a body with text."""
    problems = []
    if not (version.title or "").strip():
        problems.append(Problem("title", _("The periodical title is missing.")))
    if not rules.plain(version.body):
        problems.append(Problem("body", _("The periodical article has no text.")))
    for counter in counters(version):
        if counter.over:
            problems.append(
                Problem(
                    counter.field,
                    _("The periodical %(field)s is %(count)d characters long; the limit is %(limit)d.")
                    % {"field": field_label(counter.field), "count": counter.count, "limit": counter.limit},
                )
            )
    return problems
