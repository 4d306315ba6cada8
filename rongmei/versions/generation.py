"""The optional generation service: rewrites, headline options and English
translation from an OpenAI-compatible chat-completions API (a hosted or a
local LLM), configured by ``RONGMEI_LLM_URL``, ``RONGMEI_LLM_MODEL`` and
``RONGMEI_LLM_KEY`` (:func:`rongmei.config.llm`).

What it returns is always a :class:`Suggestion` that an editor accepts or
discards; nothing here changes a version. With no service configured, or
when it is slow, fails or answers garbage, the offline rules of
:mod:`rongmei.versions.text` answer instead and ``notice`` tells the editor
why. The platform works fully without it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rongmei import config as rongmei_config
from rongmei.versions import text as rules

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 1_000_000
HEADLINE_OPTIONS = 5
HEADLINE_MAX = 40
CHAT_PATH = "/chat/completions"


@dataclass(frozen=True)
class Suggestion:
    """Options for the editor; ``source`` is "llm" or "offline"; ``notice``
    says why the offline path answered, or is empty."""

    kind: str
    options: list[str] = field(default_factory=list)
    source: str = "offline"
    notice: str = ""


class ServiceFailed(Exception):
    """The service did not give a usable answer (the reason is logged)."""


def _config(config):
    return config if config is not None else rongmei_config.llm(os.environ)


def _endpoint(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith(CHAT_PATH) else url + CHAT_PATH


def chat(messages: list[dict], *, config, temperature: float = 0.3) -> str:
    """One chat completion: the text of the first choice. Raises
    :class:`ServiceFailed` on a timeout, an HTTP or network error, or an
    answer that does not follow the API."""
    body = json.dumps({"model": config.model, "messages": messages, "temperature": temperature}).encode()
    request = urllib.request.Request(_endpoint(config.url), data=body, method="POST")  # noqa: S310 (http(s) only)
    request.add_header("Content-Type", "application/json")
    if config.key:
        request.add_header("Authorization", f"Bearer {config.key}")
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310 (configured URL)
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ServiceFailed(f"HTTP {error.code}") from error
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        raise ServiceFailed(f"unreachable or too slow: {error}") from error
    if len(raw) > MAX_RESPONSE_BYTES:
        raise ServiceFailed("answer too large")
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ServiceFailed("answer does not follow the chat-completions API") from error
    if not isinstance(content, str) or not content.strip():
        raise ServiceFailed("empty answer")
    return content.strip()


def _ask(kind: str, messages: list[dict], parse, offline, config) -> Suggestion:
    try:
        config = _config(config)
    except rongmei_config.ConfigError as error:
        logger.warning("generation service misconfigured: %s", error)
        return Suggestion(kind, offline(), notice=_("The generation service is misconfigured; offline rules answered."))
    if config is None:
        return Suggestion(kind, offline())
    try:
        options = parse(chat(messages, config=config))
        if not options:
            raise ServiceFailed("nothing usable in the answer")
    except ServiceFailed as error:
        logger.warning("generation service failed (%s): %s", kind, error)
        return Suggestion(
            kind, offline(), notice=_("The generation service did not answer usably; offline rules answered.")
        )
    return Suggestion(kind, options, source="llm")


_WRAPPERS = {'"': '"', "“": "”", "「": "」", "'": "'"}
_NUMBERING = re.compile(r"^\s*(?:[-*•]|\d+[.、)）]|[（(]\d+[)）])\s*")


def _lines(answer: str, limit: int, max_length: int) -> list[str]:
    options = []
    for line in answer.splitlines():
        line = _NUMBERING.sub("", line).strip()
        if len(line) > 1 and _WRAPPERS.get(line[0]) == line[-1]:  # a headline given in quotes
            line = line[1:-1].strip()
        if line and rules.length(line) <= max_length and rules.is_readable(line):
            options.append(line)
    return list(dict.fromkeys(options))[:limit]


def headline_options(title: str, body_text: str, *, limit: int = HEADLINE_OPTIONS, config=None) -> Suggestion:
    """Headline options; offline: the title and its trims for WeChat (32),
    the newspaper (24) and a short-video title (30)."""

    def offline():
        trims = [title, rules.trim(title, 32), rules.trim(title, 30), rules.trim(title, 24)]
        return list(dict.fromkeys(t for t in trims if t))[:limit]

    messages = [
        {"role": "system", "content": "你是区级融媒体中心的新闻编辑。只输出标题，每行一个，不要编号和解释。"},
        {
            "role": "user",
            "content": f"为下面的新闻拟{limit}个中文标题，每个不超过{HEADLINE_MAX}字。\n"
            f"标题：{title}\n正文：{body_text[:4000]}",
        },
    ]
    return _ask("headlines", messages, lambda answer: _lines(answer, limit, HEADLINE_MAX), offline, config)


def rewrite(text: str, *, limit: int, instruction: str = "", config=None) -> Suggestion:
    """A rewrite of ``text`` within ``limit`` characters; offline: a TextRank summary."""

    def offline():
        summary = rules.summarise(text, limit)
        return [summary] if summary else []

    def parse(answer):
        answer = answer.strip()
        return [answer] if rules.length(answer) <= limit and rules.is_readable(answer) else []

    messages = [
        {"role": "system", "content": "你是区级融媒体中心的新闻编辑。只输出改写后的文字，不要解释。"},
        {"role": "user", "content": f"{instruction or '改写下面的文字'}，不超过{limit}字：\n{text[:8000]}"},
    ]
    return _ask("rewrite", messages, parse, offline, config)


def translate(text: str, *, config=None) -> Suggestion:
    """An English translation of ``text``; offline: none (an editor translates)."""

    def parse(answer):
        # English comes back mostly in Latin letters; a Chinese or empty answer is garbage.
        letters = sum(ch.isascii() and ch.isalpha() for ch in answer)
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in answer)
        return [answer.strip()] if letters > 3 * cjk and letters >= 2 else []

    messages = [
        {
            "role": "system",
            "content": "You translate Chinese government news into plain English. Output only the translation.",
        },
        {"role": "user", "content": text[:12000]},
    ]
    suggestion = _ask("translation", messages, parse, lambda: [], config)
    if suggestion.source == "offline" and not suggestion.notice:
        return Suggestion("translation", [], notice=_("No translation service is configured: an editor translates."))
    return suggestion


SUGGESTION_KINDS = ("headlines", "rewrite", "translation")


def suggest_for(story, version, kind: str, *, limit: int = 120, config=None) -> Suggestion:
    """The suggestion of ``kind`` for one version of ``story``, asked the
    same way from the API and from the editor's buttons: headline options
    from the version's (or the story's) title and text, a rewrite of the
    version's body (or the story's) within ``limit`` characters, an English
    translation of the story's title and text."""
    from rongmei.core.text import html_to_text

    text = html_to_text(story.body)
    if kind == "headlines":
        return headline_options(version.title or story.title, text, config=config)
    if kind == "rewrite":
        return rewrite(html_to_text(version.body) or text, limit=limit, config=config)
    if kind == "translation":
        return translate(f"{story.title}\n\n{text}", config=config)
    raise ValueError(f"unknown suggestion kind {kind!r}")
