"""Chinese text helpers shared by every app: names, segmentation for
search, and rich-text sanitising.

Chinese is written without spaces, so a full-text index that splits on
spaces sees one token per clause and finds nothing. Everything that is
indexed goes through :func:`segment_for_index` and every query through
:func:`segment_query`: both use jieba with the newsroom dictionary in
``data/newsroom_dict.txt`` (融媒体, 西城区, 接诉即办, …), so that 「融媒体」
finds 「区融媒体中心」 and 「养老」 finds 「养老服务」.
"""

import html as html_lib
import re
import threading
import unicodedata
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


def _tokenizer():
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


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag in {"p", "br", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "div"}:
            self.parts.append("\n")


def html_to_text(value: str) -> str:
    """The readable text of rich-text HTML, one line per block."""
    extractor = _TextExtractor()
    extractor.feed(value or "")
    extractor.close()
    return re.sub(r"\n{2,}", "\n", "".join(extractor.parts)).strip()


_WORD = re.compile(r"\w", re.UNICODE)


def segment(text: str) -> list[str]:
    """Search tokens of ``text``: words and, for long words, their parts
    (jieba's search mode), lower-cased, without punctuation or spaces."""
    if not text:
        return []
    tokens = _tokenizer().cut_for_search(text)
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
    text = html_lib.unescape(html_to_text(value)).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
