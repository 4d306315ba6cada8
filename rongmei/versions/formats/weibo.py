"""Weibo post (微博).

The share API (``statuses/share.json``) takes at most 140 Chinese
characters, counted Weibo's way (:func:`rongmei.versions.text.weibo_length`:
two ASCII characters count as one), and the text must contain a link on the
app's registered safe domain: the story's page on the website. Long text
(up to 2,000) is only on commercial endpoints: ``data["long_text"]``.
Up to 9 pictures, or 1 video.

``body`` is the whole post as sent (hashtags, text, link). ``data``:
``hashtags`` (``#话题#``), ``images`` (asset ids), ``link``, ``long_text``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rongmei.versions import text as rules
from rongmei.versions.formats import Counter, Problem
from rongmei.versions.formats._package import source

CODE = "weibo"
LABEL = gettext_lazy("Weibo post")
PREVIEW_TEMPLATE = "versions/preview/weibo.html"

TEXT_MAX = 140
LONG_TEXT_MAX = 2_000
IMAGES_MAX = 9
VIDEOS_MAX = 1
HASHTAGS = 2


def compose(title: str, summary: str, tags: list[str], link: str, limit: int = TEXT_MAX) -> str:
    """``#话题#【title】summary link`` within ``limit`` counted Weibo's way:
    the summary is trimmed at a sentence or word, then the tags dropped."""
    head = "".join(tags)
    tail = f" {link}" if link else ""
    for tag_count in range(len(tags), -1, -1):
        head = "".join(tags[:tag_count])
        fixed = f"{head}【{title}】"
        room = limit - rules.weibo_length(fixed + tail)
        if room < 0:
            continue
        body = rules.trim(summary, room, count=rules.weibo_length) if summary else ""
        return f"{fixed}{body}{tail}"
    return rules.trim(f"【{title}】", limit - rules.weibo_length(tail), count=rules.weibo_length) + tail


def generate(story, channel) -> dict:
    """A Weibo post: two #话题# from the keywords, the title in 【】, the
    summary trimmed to fit, the website link; up to nine photos or the video."""
    package = source(story)
    tags = rules.hashtags(package.keywords, HASHTAGS)
    link = package.website_url
    video = package.videos[0] if package.videos else None
    return {
        "title": package.title,
        "body": compose(package.title, package.summary or package.text, tags, link),
        "video": video,
        "data": {
            "hashtags": tags,
            "images": [] if video else [photo.pk for photo in package.photos[:IMAGES_MAX]],
            "link": link,
            "long_text": False,
        },
    }


def limit_of(version) -> int:
    return LONG_TEXT_MAX if (version.data or {}).get("long_text") else TEXT_MAX


def counters(version) -> list[Counter]:
    """The post counted Weibo's way, and the pictures."""
    return [
        Counter("body", rules.weibo_length(version.body), limit_of(version)),
        Counter("images", len((version.data or {}).get("images") or []), IMAGES_MAX),
    ]


def validate(version) -> list[Problem]:
    """Length, the required website link, pictures or video."""
    data = version.data or {}
    problems = []
    body = (version.body or "").strip()
    if not body:
        problems.append(Problem("body", _("The Weibo post is empty.")))
    count, limit = rules.weibo_length(body), limit_of(version)
    if count > limit:
        problems.append(
            Problem(
                "body",
                _("The Weibo post is %(count)d characters long as Weibo counts them; the limit is %(limit)d.")
                % {"count": count, "limit": limit},
            )
        )
    link = (data.get("link") or "").strip()
    if not link:
        problems.append(
            Problem("link", _("Weibo needs the link to the website version: set the website's public address."))
        )
    elif link not in body:
        problems.append(Problem("body", _("The Weibo post must contain the link to the website version.")))
    images = data.get("images") or []
    if len(images) > IMAGES_MAX:
        problems.append(Problem("images", _("Weibo takes at most %(limit)d pictures.") % {"limit": IMAGES_MAX}))
    if images and version.video_id:
        problems.append(Problem("images", _("A Weibo post has pictures or one video, not both.")))
    return problems
