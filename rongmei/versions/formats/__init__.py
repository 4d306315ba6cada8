"""One module per format of channel version, all with the same interface.

A format turns a story package into the version one kind of channel needs,
says what is wrong with a version in plain words, and counts its limited
fields the way the platform counts them. The limits come from
``../shared/docs/channels.md`` and live in one constant each, in the
format's module.

Interface of a format module (see :class:`Format`):

``CODE``, ``LABEL``, ``PREVIEW_TEMPLATE``
``generate(story, channel) -> dict``
    Field values for a :class:`~rongmei.versions.models.Version`: any of
    title, kicker, subtitle, author, summary, body, cover, video, data.
``validate(version) -> list[Problem]``
    Empty when the version can go out.
``counters(version) -> list[Counter]``
    The limited fields, counted the platform's way (for the editor's live
    counters and the API).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """What stops a version from going out, in plain words (Chinese in the UI)."""

    field: str
    message: str


@dataclass(frozen=True)
class Counter:
    field: str
    count: int
    limit: int

    @property
    def over(self) -> bool:
        return self.count > self.limit


# Channel kinds and their format (the short-video kinds share one); a website
# channel's format depends on its language.
KIND_FORMATS = {
    "wechat_mp": "wechat",
    "weibo": "weibo",
    "douyin": "short_video",
    "kuaishou": "short_video",
    "wechat_channels": "short_video",
    "cctv_video": "short_video",
    "newspaper": "newspaper",
    "periodical": "periodical",
    "tv": "tv",
    "partner": "partner",
}
WEBSITE_FORMATS = {"zh-hans": "website_zh", "en": "website_en"}
CODES = ("wechat", "weibo", "short_video", "website_zh", "website_en", "newspaper", "tv", "periodical", "partner")


def get(code: str):
    """The format module called ``code`` (one of :data:`CODES`); KeyError if none."""
    if code not in CODES:
        raise KeyError(code)
    from importlib import import_module

    return import_module(f"{__name__}.{code}")


def code_for(channel) -> str | None:
    """The format code of a channel (by kind, and language for websites), or None."""
    if channel.kind == "website":
        return WEBSITE_FORMATS.get(channel.language, "website_zh")
    return KIND_FORMATS.get(channel.kind)


def format_for(channel):
    """The format module that makes the version of ``channel``, or None
    for a kind of channel that has no version."""
    code = code_for(channel)
    return get(code) if code else None


def field_label(name: str) -> str:
    """A version field's name for people, in the editor's language (for
    problems and counters): the model field's, else the format field's."""
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.translation import gettext as _

    from rongmei.versions.models import Version

    extra = {
        "images": _("pictures"),
        "lower_thirds": _("lower thirds"),
        "duration": _("duration (seconds)"),
        "captions": _("captions"),
        "originals": _("originals"),
    }
    if name in extra:
        return str(extra[name])
    try:
        return str(Version._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a format field kept in data
        return name
