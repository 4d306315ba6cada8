"""Short-video post (抖音, 快手, 视频号, 央视频): title, description with
hashtags, cover, the video asset, and SRT subtitles from the story's text,
split by sentence and timed at a configurable speaking rate.

``summary`` is the description (with its hashtags). ``data``: ``hashtags``
(``#话题``), ``srt``, ``speaking_rate`` (characters a second),
``cover_from_video`` (no photo: the platform takes the video's first frame).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem, field_label
from rongmei.versions.formats._package import source

CODE = "short_video"
LABEL = gettext_lazy("Short video")
PREVIEW_TEMPLATE = "versions/preview/short_video.html"

TITLE_MAX = 30  # Douyin shows about 30 characters of a title; Kuaishou and Channels fewer lines
DESCRIPTION_MAX = 1_000
HASHTAGS = 3
SPEAKING_RATE = rules.SPEAKING_RATE_CPS


def describe(summary: str, tags: list[str]) -> str:
    """The description: the summary, then the hashtags, within the limit."""
    tail = " ".join(tags)
    room = DESCRIPTION_MAX - rules.length(tail) - 1
    return f"{rules.trim(summary, room)} {tail}".strip()


def subtitles(version_or_text, rate: float | None = None) -> str:
    """SRT of the narration: the story's text at ``rate`` characters a second."""
    return rules.srt(version_or_text, rate=rate or SPEAKING_RATE)


def applies(story) -> bool:
    """Only a story with a video attached becomes a short video."""
    return bool(source(story).videos)


def generate(story, channel) -> dict:
    """Title, description with #话题, first photo as cover, first video, subtitles."""
    package = source(story)
    tags = rules.hashtags(package.keywords, HASHTAGS, style="short_video")
    cover = package.photos[0] if package.photos else None
    video = package.videos[0] if package.videos else None
    return {
        "title": rules.trim(package.title, TITLE_MAX),
        "summary": package.memo("short_video_description", lambda: describe(package.summary_within(300), tags)),
        "cover": cover,
        "video": video,
        "body": package.text,
        "data": {
            "hashtags": tags,
            "speaking_rate": SPEAKING_RATE,
            "srt": package.memo(("srt", SPEAKING_RATE), lambda: subtitles(package.text)),
            "cover_from_video": cover is None and video is not None,
        },
    }


def normalise(version) -> None:
    """After an edit: subtitles follow the narration text and the rate."""
    data = dict(version.data or {})
    try:
        rate = float(data.get("speaking_rate") or SPEAKING_RATE)
    except (TypeError, ValueError):
        rate = SPEAKING_RATE
    data["speaking_rate"] = rate if rate > 0 else SPEAKING_RATE
    data["srt"] = subtitles(version.body or "", data["speaking_rate"])
    version.data = data


def counters(version) -> list[Counter]:
    """Title and description in characters."""
    return [
        Counter("title", rules.length(version.title), TITLE_MAX),
        Counter("summary", rules.length(version.summary), DESCRIPTION_MAX),
    ]


def validate(version) -> list[Problem]:
    """A video, a cover, a title within the limit, subtitles."""
    data = version.data or {}
    problems = []
    if version.video_id is None:
        problems.append(Problem("video", _("The short video is missing: attach a video to the story.")))
    elif version.video.kind != "video":
        problems.append(Problem("video", _("The short-video asset must be a video.")))
    if version.cover_id is None and not data.get("cover_from_video"):
        problems.append(Problem("cover", _("Short-video cover missing: choose a cover from the story's pictures.")))
    if not (version.title or "").strip():
        problems.append(Problem("title", _("The short-video title is missing.")))
    for counter in counters(version):
        if counter.over:
            problems.append(
                Problem(
                    counter.field,
                    _("The short-video %(field)s is %(count)d characters long; the limit is %(limit)d.")
                    % {"field": field_label(counter.field), "count": counter.count, "limit": counter.limit},
                )
            )
    if not (data.get("srt") or "").strip():
        problems.append(Problem("srt", _("The short video has no subtitles: the story has no text to read.")))
    return problems
