"""Government website page, English (政府网站英文版): a translation slot.

An editor writes the translation, or the configured translation service
fills it (:mod:`rongmei.versions.generation`). ``data["translation_state"]``
is ``"empty"`` (nothing yet: the page is not published in English),
``"machine"`` (machine translation, unconfirmed: it blocks submission until
an editor confirms it) or ``"confirmed"``. ``data["images"]`` as for the
Chinese page, captions in English.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.core.text import sanitize_rich_text
from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem, field_label
from rongmei.versions.formats._package import source

CODE = "website_en"
LABEL = gettext_lazy("Website (English)")
PREVIEW_TEMPLATE = "versions/preview/website.html"

TITLE_MAX = 120
SUMMARY_MAX = 400
EMPTY, MACHINE, CONFIRMED = "empty", "machine", "confirmed"
STATES = {
    EMPTY: gettext_lazy("not translated"),
    MACHINE: gettext_lazy("machine translation, unconfirmed"),
    CONFIRMED: gettext_lazy("confirmed by an editor"),
}


def generate(story, channel) -> dict:
    """An empty translation slot with the story's pictures, captions to write."""
    package = source(story)
    return {
        "title": "",
        "summary": "",
        "body": "",
        "data": {
            "translation_state": EMPTY,
            "images": [{"asset": photo.pk, "caption": ""} for photo in package.photos],
        },
    }


def state(version) -> str:
    return (version.data or {}).get("translation_state") or EMPTY


def state_label(version) -> str:
    """ "machine translation, unconfirmed" and the like, for the editor and previews."""
    return str(STATES.get(state(version), state(version)))


def normalise(version) -> None:
    """After an edit: the body sanitised, the state known."""
    version.body = sanitize_rich_text(version.body or "")
    data = dict(version.data or {})
    if data.get("translation_state") not in STATES:
        data["translation_state"] = EMPTY
    version.data = data


def counters(version) -> list[Counter]:
    """Title and summary in characters."""
    return [
        Counter("title", rules.length(version.title), TITLE_MAX),
        Counter("summary", rules.length(version.summary), SUMMARY_MAX),
    ]


def validate(version) -> list[Problem]:
    """Nothing while empty (no English page); an unconfirmed machine
    translation blocks; a confirmed one needs a title, text and captions."""
    current = state(version)
    if current not in STATES:
        return [Problem("translation_state", _("Unknown translation state."))]
    if current == EMPTY:
        return []
    problems = []
    if current == MACHINE:
        problems.append(
            Problem(
                "translation_state",
                _("The English version is a machine translation, unconfirmed: an editor must confirm it."),
            )
        )
    if not (version.title or "").strip():
        problems.append(Problem("title", _("The English title is missing.")))
    if not rules.plain(version.body):
        problems.append(Problem("body", _("The English text is missing.")))
    for counter in counters(version):
        if counter.over:
            problems.append(
                Problem(
                    counter.field,
                    _("The English %(field)s is %(count)d characters long; the limit is %(limit)d.")
                    % {"field": field_label(counter.field), "count": counter.count, "limit": counter.limit},
                )
            )
    for number, image in enumerate((version.data or {}).get("images") or [], start=1):
        if not (image.get("caption") or "").strip():
            problems.append(Problem("images", _("Picture %(number)d has no English caption.") % {"number": number}))
    return problems
