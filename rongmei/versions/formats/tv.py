"""TV news script (电视新闻稿): 导语 (the presenter's lead), voice-over
(配音) segments, 同期声 (sound bites) slots, lower-third captions, and an
estimated duration at a configurable reading speed.

``summary`` is the 导语. ``data``: ``segments`` (``{"kind": "voiceover",
"text"}`` or ``{"kind": "sync", "speaker", "text", "seconds"}``),
``lower_thirds`` (list of str), ``reading_rate`` (characters a minute),
``target_seconds``. The duration counts the lead and the voice-over at the
reading rate and each 同期声 by its seconds.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem
from rongmei.versions.formats._package import source

CODE = "tv"
LABEL = gettext_lazy("TV news script")
PREVIEW_TEMPLATE = "versions/preview/tv.html"

LEAD_MAX = 120
LOWER_THIRD_MAX = 16
READING_RATE = rules.READING_RATE_CPM
TARGET_SECONDS = 120
SYNC_MIN_SECONDS = 5
# A direct quotation, and the verb that introduces it: 李大爷说：“……”
_QUOTE = re.compile(r"“([^”]{6,})”")
_SPEAKER = re.compile(r"([^，。；：、“”\s]{1,20}?)(?:说|表示|介绍|告诉记者)[：:，,]?$")
SPEAKER_MAX = 8


def duration(version) -> int:
    """Estimated seconds: lead and voice-over at the reading rate, plus the 同期声."""
    data = version.data or {}
    rate = _rate(data)
    seconds = rules.reading_seconds(version.summary or "", rate=rate)
    for segment in data.get("segments") or []:
        if segment.get("kind") == "sync":
            seconds += int(segment.get("seconds") or 0)
        else:
            seconds += rules.reading_seconds(segment.get("text") or "", rate=rate)
    return seconds


def _rate(data) -> int:
    try:
        rate = int(data.get("reading_rate") or READING_RATE)
    except (TypeError, ValueError):
        return READING_RATE
    return rate if rate > 0 else READING_RATE


def speaker(before: str) -> str:
    """Who speaks a quotation, from the words that introduce it
    (今年78岁的李大爷说： → 李大爷), or ""."""
    match = _SPEAKER.search(before)
    if not match:
        return ""
    name = match.group(1).split("的")[-1]
    return name if 0 < len(name) <= SPEAKER_MAX else ""


def segments_of(paragraphs: list[str], rate: float) -> list[dict]:
    """Voice-over segments, one a paragraph; a quotation becomes a 同期声 slot
    with its speaker, timed as it would be spoken."""
    segments = []
    for paragraph in paragraphs:
        position = 0
        for match in _QUOTE.finditer(paragraph):
            before = paragraph[position : match.start()].strip()
            if before:
                segments.append({"kind": "voiceover", "text": before})
            spoken = match.group(1)
            seconds = max(SYNC_MIN_SECONDS, round(rules.spoken_length(spoken) * 60 / rate))
            segments.append({"kind": "sync", "speaker": speaker(before), "text": spoken, "seconds": seconds})
            position = match.end()
        rest = paragraph[position:].strip().lstrip("。，")
        if rest:
            segments.append({"kind": "voiceover", "text": rest})
    return segments


def generate(story, channel) -> dict:
    """导语 from the summary, 配音 from the body, 同期声 from its quotations,
    a lower third for the title and each speaker."""
    package = source(story)
    segments = segments_of(package.paragraphs, READING_RATE)
    thirds = [rules.trim(package.title, LOWER_THIRD_MAX)]
    thirds += [s["speaker"] for s in segments if s["kind"] == "sync" and s["speaker"]]
    return {
        "title": package.title,
        "summary": package.summary_within(LEAD_MAX),
        "data": {
            "segments": segments,
            "lower_thirds": list(dict.fromkeys(t for t in thirds if t)),
            "reading_rate": READING_RATE,
            "target_seconds": TARGET_SECONDS,
        },
    }


def counters(version) -> list[Counter]:
    """The 导语 in characters, each lower third, and the duration in seconds."""
    data = version.data or {}
    result = [Counter("summary", rules.length(version.summary), LEAD_MAX)]
    longest = max((rules.length(t) for t in data.get("lower_thirds") or []), default=0)
    result.append(Counter("lower_thirds", longest, LOWER_THIRD_MAX))
    result.append(Counter("duration", duration(version), int(data.get("target_seconds") or TARGET_SECONDS)))
    return result


def validate(version) -> list[Problem]:
    """A lead, something to read, lower thirds within the screen's width."""
    data = version.data or {}
    problems = []
    if not (version.summary or "").strip():
        problems.append(Problem("summary", _("The TV lead (导语) is missing.")))
    if not any((s.get("text") or "").strip() for s in data.get("segments") or []):
        problems.append(Problem("segments", _("The TV script has no voice-over.")))
    for counter in counters(version):
        if counter.over and counter.field == "summary":
            problems.append(
                Problem(
                    "summary",
                    _("The TV lead is %(count)d characters long; the limit is %(limit)d.")
                    % {"count": counter.count, "limit": counter.limit},
                )
            )
        elif counter.over and counter.field == "lower_thirds":
            problems.append(
                Problem(
                    "lower_thirds",
                    _("A lower-third caption is longer than %(limit)d characters.") % {"limit": counter.limit},
                )
            )
    return problems
