"""Newspaper piece (《北京西城报》): headline, 引题 (kicker), 副题
(subtitle), photo captions, and the body fitted to the character budget of
its page slot.

``data``: ``slot`` (``columns``, ``lines``, ``chars_per_line``: the slot's
size, configurable per piece), ``captions`` (``{"asset": id, "caption": str}``),
``images`` (asset ids). The slot's budget is columns × lines × characters a
line, less the lines each picture takes.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem, field_label
from rongmei.versions.formats._package import caption, source

CODE = "newspaper"
LABEL = gettext_lazy("Newspaper")
PREVIEW_TEMPLATE = "versions/preview/newspaper.html"

HEADLINE_MAX = 24
KICKER_MAX = 30
SUBTITLE_MAX = 30
CAPTION_MAX = 80
# A default slot: a half page of four columns, 60 lines of 13 characters.
DEFAULT_SLOT = {"columns": 4, "lines": 60, "chars_per_line": 13}
LINES_PER_PICTURE = 15
PICTURES_MAX = 2


def budget(slot: dict, pictures: int = 0) -> int:
    """Characters of body text a slot holds, pictures taken off."""
    try:
        columns, lines, per_line = (int(slot[key]) for key in ("columns", "lines", "chars_per_line"))
    except (KeyError, TypeError, ValueError):
        columns, lines, per_line = DEFAULT_SLOT.values()
    return max(0, (columns * lines - pictures * LINES_PER_PICTURE) * per_line)


def slot_budget(version) -> int:
    """The body's budget in the version's slot, its pictures taken off."""
    data = version.data or {}
    return budget(data.get("slot") or DEFAULT_SLOT, len(data.get("images") or []))


def fit(paragraphs: list[str], limit: int) -> str:
    """Whole paragraphs while they fit (each paragraph takes its characters
    plus the two-character indent); the next one trimmed at a sentence."""
    kept, used = [], 0
    for paragraph in paragraphs:
        size = rules.length(paragraph) + 2
        if used + size <= limit:
            kept.append(paragraph)
            used += size
            continue
        rest = rules.trim(paragraph, limit - used - 2, ellipsis="")
        if rest:
            kept.append(rest)
        break
    return "\n".join(kept)


def body_length(body: str) -> int:
    """Characters the body takes in print: its text plus a two-character indent a paragraph."""
    paragraphs = [p for p in (body or "").split("\n") if p.strip()]
    return sum(rules.length(p.strip()) + 2 for p in paragraphs)


def generate(story, channel) -> dict:
    """Headline, 引题, 副题, up to two photos with captions, body fitted to the default slot."""
    package = source(story)
    photos = package.photos[:PICTURES_MAX]
    slot = dict(DEFAULT_SLOT)
    return {
        "title": rules.trim(package.title, HEADLINE_MAX),
        "kicker": rules.trim(package.kicker, KICKER_MAX),
        "subtitle": rules.trim(package.subtitle, SUBTITLE_MAX),
        "author": " ".join(package.reporters),
        "body": fit(package.paragraphs, budget(slot, len(photos))),
        "data": {
            "slot": slot,
            "images": [photo.pk for photo in photos],
            "captions": [{"asset": photo.pk, "caption": rules.trim(caption(photo), CAPTION_MAX)} for photo in photos],
        },
    }


def refit(version, story) -> None:
    """Fit the story's body again to the version's slot (after the slot changed)."""
    version.body = fit(source(story).paragraphs, slot_budget(version))


def counters(version) -> list[Counter]:
    """Headline, 引题, 副题 in characters; the body against the slot's budget."""
    return [
        Counter("title", rules.length(version.title), HEADLINE_MAX),
        Counter("kicker", rules.length(version.kicker), KICKER_MAX),
        Counter("subtitle", rules.length(version.subtitle), SUBTITLE_MAX),
        Counter("body", body_length(version.body), slot_budget(version)),
    ]


def validate(version) -> list[Problem]:
    """A headline and a body within the slot; every photo captioned."""
    problems = []
    if not (version.title or "").strip():
        problems.append(Problem("title", _("The newspaper headline is missing.")))
    if not (version.body or "").strip():
        problems.append(Problem("body", _("The newspaper piece has no text.")))
    for counter in counters(version):
        if counter.over:
            problems.append(
                Problem(
                    counter.field,
                    _("The newspaper %(field)s is %(count)d characters long; the slot holds %(limit)d.")
                    % {"field": field_label(counter.field), "count": counter.count, "limit": counter.limit},
                )
            )
    for number, item in enumerate((version.data or {}).get("captions") or [], start=1):
        if not (item.get("caption") or "").strip():
            problems.append(Problem("captions", _("Newspaper photo %(number)d has no caption.") % {"number": number}))
    return problems
