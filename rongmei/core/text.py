"""Chinese text helpers shared by every app: names, segmentation for
search, and rich-text sanitising.

Chinese is written without spaces, so a full-text index that splits on
spaces sees one token per clause and finds nothing. Everything that is
indexed goes through :func:`segment_for_index` and every query through
:func:`segment_query`: both use jieba with the newsroom dictionary in
``data/newsroom_dict.txt`` (融媒体, 西城区, 接诉即办, …), so that 「融媒体」
finds 「区融媒体中心」 and 「养老」 finds 「养老服务」.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import nh3

NEWSROOM_DICT = Path(__file__).with_name("data") / "newsroom_dict.txt"

_jieba = None
_jieba_lock = threading.Lock()


def is_cjk(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH") for ch in text)


def join_name(family: str, given: str) -> str:
    """A person's full name: 李明 for Chinese names, "Ming Li" otherwise."""
    family, given = family.strip(), given.strip()
    if is_cjk(family + given):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)


def tokenizer():
    """jieba's tokenizer with the newsroom dictionary, loaded once per process."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.load_userdict(str(NEWSROOM_DICT))
                _jieba = tokenizer
    return _jieba


_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tbody td tfoot th thead tr ul embed".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "template"})
_COLLAPSED_SPACE = " \t\r\n\f"


@dataclass(frozen=True)
class PlainText:
    """The text of a rich-text body: block elements (paragraphs, headings,
    list items, ``<br>``) end a line, runs of HTML white space are one space,
    entities are decoded, tags and scripts are dropped. ``starts[i]`` and
    ``ends[i]`` are the offsets in the HTML source of the character that
    became ``text[i]`` (an entity such as ``&amp;`` spans several)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def html_span(self, start: int, end: int) -> tuple[int, int]:
        """The HTML source span of ``text[start:end]`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]


class _TextExtractor(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.source = html
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", html))]
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.skipping = 0

    def _position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _add(self, ch: str, start: int, end: int):
        if ch in _COLLAPSED_SPACE:
            if not self.chars or self.chars[-1] in " \n":
                return
            ch = " "
        self.chars.append(ch)
        self.starts.append(start)
        self.ends.append(end)

    def _break(self):
        if self.chars and self.chars[-1] == " ":
            self.chars.pop(), self.starts.pop(), self.ends.pop()
        if self.chars and self.chars[-1] != "\n":
            position = self._position()
            self.chars.append("\n")
            self.starts.append(position)
            self.ends.append(position)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        if self.skipping:
            return
        base = self._position()
        for offset, ch in enumerate(data):
            self._add(ch, base + offset, base + offset + 1)

    def _reference(self, raw: str):
        if self.skipping:
            return
        start = self._position()
        end = start + len(raw)
        if self.source.startswith(";", end):
            raw, end = raw + ";", end + 1
        for ch in unescape(raw):
            self._add(ch, start, end)

    def handle_entityref(self, name):
        self._reference(f"&{name}")

    def handle_charref(self, name):
        self._reference(f"&#{name}")

    def result(self) -> PlainText:
        while self.chars and self.chars[-1] in " \n":
            self.chars.pop(), self.starts.pop(), self.ends.pop()
        return PlainText("".join(self.chars), tuple(self.starts), tuple(self.ends))


def html_to_plain(html: str) -> PlainText:
    """The plain text of a rich-text body, with a map back to the HTML."""
    extractor = _TextExtractor(html or "")
    extractor.feed(html or "")
    extractor.close()
    return extractor.result()


def html_to_text(html: str) -> str:
    """The readable text of rich-text HTML, one line per block."""
    return html_to_plain(html).text


_WORD = re.compile(r"\w", re.UNICODE)


def segment(text: str) -> list[str]:
    """Search tokens of ``text``: words and, for long words, their parts
    (jieba's search mode), lower-cased, without punctuation or spaces."""
    if not text:
        return []
    tokens = tokenizer().cut_for_search(text)
    return [token.lower() for token in (t.strip() for t in tokens) if token and _WORD.search(token)]


def segment_for_index(text: str, *, html: bool = False) -> str:
    """Text for a full-text index: tokens joined by spaces."""
    if html:
        text = html_to_text(text)
    return " ".join(segment(text))


def segment_query(query: str) -> str:
    """A user's query in the same tokens as the index."""
    return " ".join(dict.fromkeys(segment(query)))


# What a story body may contain: what Wagtail's rich-text editor writes
# (its database format uses <a linktype=… id=…> and <embed embedtype=…>).
RICH_TEXT_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "s", "sup", "sub",
    "ul", "ol", "li", "blockquote", "hr", "a", "embed", "code",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}


def sanitize_rich_text(value: str) -> str:
    """Rich text with scripts, frames, event handlers and javascript: URLs
    removed (nh3, an HTML sanitiser built on Ammonia)."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    )


def plain_excerpt(value: str, limit: int = 120) -> str:
    text = html_to_text(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
