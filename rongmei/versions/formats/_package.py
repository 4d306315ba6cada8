"""What every format reads from a story package, worked out once per story
(plain text, sentences, keywords, photos, videos, credits, links) and kept
on the story object while it is not changed, so that generating eleven
versions runs TextRank once."""

from __future__ import annotations

from dataclasses import dataclass, field

import nh3

from rongmei.versions import text as rules


@dataclass
class Source:
    title: str
    kicker: str
    subtitle: str
    summary: str
    html: str
    text: str
    paragraphs: list[str]
    keywords: list[str]
    photos: list = field(default_factory=list)
    videos: list = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    photographers: str = ""
    website_url: str = ""
    _summaries: dict = field(default_factory=dict)

    def memo(self, key, make):
        """``make()`` once per story package (subtitles shared by four short-video channels…)."""
        if key not in self._summaries:
            self._summaries[key] = make()
        return self._summaries[key]

    def summary_within(self, limit: int, count=rules.length) -> str:
        """The editor's summary if it fits, else a TextRank summary of the body."""
        key = (limit, count)
        if key not in self._summaries:
            if self.summary and count(self.summary) <= limit:
                value = self.summary
            elif self.summary:
                value = rules.trim(self.summary, limit, count=count)
            else:
                value = rules.summarise(self.text, limit, words=self.keywords, count=count)
            self._summaries[key] = value
        return self._summaries[key]


def user_name(user) -> str:
    return (user.get_full_name() or user.get_username()).strip() if user else ""


def _attached(story, kind: str) -> list:
    links = sorted(story.attached_assets.all(), key=lambda link: (link.sort_order or 0, link.pk or 0))
    return [link.asset for link in links if link.asset is not None and link.asset.kind == kind]


def organisation_id(story) -> int | None:
    """The organisation whose channels the story goes out on: its
    department's, else its author's department's, else the only one."""
    from rongmei.core.models import Organisation

    for department in (getattr(story, "department", None), getattr(getattr(story, "author", None), "department", None)):
        if department is not None:
            return department.organisation_id
    ids = list(Organisation.objects.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def _website_url(story) -> str:
    """The address the story's Chinese website article will have (the
    built-in website's, at the channel's public address or the platform's)."""
    from rongmei.distribution.channels.website import article_url
    from rongmei.distribution.models import Channel

    if not story.pk:
        return ""
    organisation = organisation_id(story)
    channels = Channel.objects.filter(kind="website", language="zh-hans", is_active=True)
    if organisation:
        channels = channels.filter(organisation_id=organisation)
    channel = channels.order_by("sort_order", "pk").first()
    return article_url(story.pk, channel) if channel else ""


def source(story) -> Source:
    """The package of ``story`` as the formats read it (cached on the object)."""
    key = (story.title, story.kicker, story.subtitle, story.summary, story.body)
    cached = getattr(story, "_versions_source", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    text = rules.plain(story.body)
    reporters = [user_name(user) for user in story.reporters.all()] if story.pk else []
    if not reporters and getattr(story, "author_id", None):
        reporters = [user_name(story.author)]
    extra = list(story.keywords.names()) if story.pk else []
    value = Source(
        title=(story.title or "").strip(),
        kicker=(story.kicker or "").strip(),
        subtitle=(story.subtitle or "").strip(),
        summary=(story.summary or "").strip(),
        html=story.body or "",
        text=text,
        paragraphs=[line.strip() for line in text.split("\n") if line.strip()],
        keywords=rules.keywords(f"{story.title}。{text}", 8, extra=extra) if text or story.title else extra,
        photos=_attached(story, "photo"),
        videos=_attached(story, "video"),
        reporters=[name for name in reporters if name],
        photographers=(story.photographers or "").strip(),
        website_url=_website_url(story),
    )
    story._versions_source = (key, value)
    return value


def credit(names: list[str], limit: int) -> str:
    """Names joined by spaces, as many whole names as fit in ``limit``."""
    result = ""
    for name in names:
        joined = f"{result} {name}".strip()
        if rules.length(joined) > limit:
            break
        result = joined
    return result


def crop_box(width: int | None, height: int | None, ratio: float) -> dict | None:
    """The largest centred box of aspect ``ratio`` (width / height) in a picture."""
    if not width or not height:
        return None
    if width / height > ratio:
        w, h = round(height * ratio), height
    else:
        w, h = width, round(width / ratio)
    return {"x": (width - w) // 2, "y": (height - h) // 2, "width": w, "height": h}


def plain_body(html: str) -> str:
    """Plain text of rich text with any markup removed first."""
    return rules.plain(nh3.clean(html or "", tags=set()))


def caption(asset) -> str:
    return (asset.caption or asset.title or "").strip()
