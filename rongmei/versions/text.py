"""Text rules shared by the channel formats: counting the way each platform
counts, trimming that respects sentences, words, numbers, names and
quotations, summaries and hashtags from TextRank, SRT subtitles and the
duration of a read script.

Everything here is offline and deterministic; the optional LLM service of
:mod:`rongmei.versions.generation` only ever suggests.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rongmei.archive.keywords import suggest_keywords
from rongmei.core.text import html_to_text, tokenizer

# Sentence ends, and what may close a sentence after its end mark.
SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』》）)】"
# Paired marks whose inside is never cut and never split into sentences.
QUOTE_PAIRS = {"「": "」", "『": "』", "“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "【": "】"}
# Where a too-long sentence may be cut (after these marks) when no sentence fits.
CLAUSE_END = "，、：:,"
ELLIPSIS = "…"

# Subtitles (SRT): a configurable speaking rate; Chinese news is read at
# about 4 characters a second (240 a minute).
SPEAKING_RATE_CPS = 4.0
SUBTITLE_MAX_CHARS = 18  # one line on a phone screen
SUBTITLE_MIN_SECONDS = 1.0
# TV: a presenter reads about 240-260 characters a minute.
READING_RATE_CPM = 250


# -- counting -------------------------------------------------------------


def length(text: str) -> int:
    """Characters as a person counts them: Python's ``len`` counts code
    points, so an emoji (😀, U+1F600) or a CJK Extension B character
    (𠀀, U+20000) is one character, never two UTF-16 units. WeChat counts
    its title, author and digest limits this way."""
    return len(text or "")


def weibo_length(text: str) -> int:
    """Length as Weibo counts its 140-character limit: every non-ASCII
    character (Chinese, full-width punctuation, emoji, Extension B) is one
    Chinese character; ASCII characters (letters, digits, half-width
    punctuation, spaces, URLs) count half, two for one, rounded up.

    This is the rule of Weibo's own composer and of the share API's
    documentation ("140 Chinese characters", i.e. 280 half-width). Links are
    counted as written, not as their shortened t.cn form: longer than what
    Weibo counts, so a post that passes here is never refused for length."""
    text = text or ""
    ascii_count = sum(1 for ch in text if ord(ch) < 128)
    return (len(text) - ascii_count) + math.ceil(ascii_count / 2)


def plain(html: str) -> str:
    """The readable text of rich text, paragraphs on their own lines."""
    return html_to_text(html or "").strip()


# -- sentences and trimming -------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: cut after 。！？；… (with the quotation marks
    that close them) and at line ends, never inside a quotation or a title
    in 《》."""
    sentences: list[str] = []
    current: list[str] = []
    closing: list[str] = []
    i, n = 0, len(text or "")
    while i < n:
        ch = text[i]
        if ch == "\n":
            if current and not closing:
                sentences.append("".join(current))
                current = []
            elif current:
                current.append(ch)
            i += 1
            continue
        current.append(ch)
        if ch in QUOTE_PAIRS:
            closing.append(QUOTE_PAIRS[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
        if ch in SENTENCE_END and not closing:
            while i + 1 < n and text[i + 1] in SENTENCE_END:
                i += 1
                current.append(text[i])
            sentences.append("".join(current))
            current = []
        elif ch in CLOSERS and not closing and len(current) > 1 and current[-2] in SENTENCE_END:
            sentences.append("".join(current))
            current = []
        i += 1
    if current:
        sentences.append("".join(current))
    return [s.strip() for s in sentences if s.strip()]


def _safe_cuts(text: str) -> list[int]:
    """Offsets where ``text`` may be cut: between jieba's words (so never
    inside a word, a number such as 5.2% or a name), outside any quotation
    or 《》 title."""
    cuts, position, depth = [], 0, []
    for word in tokenizer().cut(text, HMM=True):
        for ch in word:
            if ch in QUOTE_PAIRS:
                depth.append(QUOTE_PAIRS[ch])
            elif depth and ch == depth[-1]:
                depth.pop()
        position += len(word)
        if not depth:
            cuts.append(position)
    return cuts


def trim(text: str, limit: int, *, count=length, ellipsis: str = ELLIPSIS) -> str:
    """``text`` within ``limit`` as counted by ``count``.

    Whole sentences are kept while they fit. When not even the first
    sentence fits, it is cut after the last clause mark (，、：) that fits,
    else between two words; a cut never falls inside a word, a number, a
    name or a quotation 「」“”《》, and ``ellipsis`` marks it."""
    text = (text or "").strip()
    if count(text) <= limit:
        return text
    kept = ""
    for sentence in split_sentences(text):
        joined = kept + sentence
        if count(joined) > limit:
            break
        kept = joined
    if kept:
        return kept
    first = split_sentences(text)[0] if text else ""
    budget = limit - count(ellipsis)
    cuts = [cut for cut in _safe_cuts(first) if count(first[:cut]) <= budget]
    if not cuts:
        return ""
    clause_cuts = [cut for cut in cuts if first[cut - 1] in CLAUSE_END]
    cut = clause_cuts[-1] if clause_cuts and clause_cuts[-1] >= max(cuts) // 2 else max(cuts)
    head = first[:cut].rstrip(CLAUSE_END + " ")
    return head + ellipsis if head else ""


# -- summaries and hashtags ------------------------------------------------


def keywords(text: str, limit: int = 8, *, extra=()) -> list[str]:
    """Keywords: the editor's own first (``extra``), then TextRank's."""
    found = [word for word in extra if word]
    if len(found) < limit:
        found += suggest_keywords(text, limit)
    return list(dict.fromkeys(found))[:limit]


def summarise(text: str, limit: int, *, words=None, count=length) -> str:
    """A summary within ``limit``: the sentences that hold the most TextRank
    keywords (weighted by rank), in their original order. ``words`` are
    keywords already found, to avoid running TextRank twice."""
    sentences = split_sentences(text or "")
    text = "".join(sentences)
    if count(text) <= limit:
        return text
    words = words if words is not None else keywords(text)
    weights = {word: len(words) - rank for rank, word in enumerate(words)}

    def score(item):
        index, sentence = item
        return (-sum(weight for word, weight in weights.items() if word in sentence), index)

    chosen, used = [], 0
    for index, sentence in sorted(enumerate(sentences), key=score):
        size = count(sentence)
        if used + size <= limit:
            chosen.append(index)
            used += size
    if not chosen:
        return trim(sentences[0], limit, count=count)
    return "".join(sentences[i] for i in sorted(chosen))


_HASHTAG_UNSAFE = re.compile(r"[#\s@]")


def hashtags(words, limit: int = 3, *, style: str = "weibo") -> list[str]:
    """Hashtag suggestions from keywords: ``#话题#`` for Weibo, ``#话题`` for
    the short-video platforms."""
    tags = []
    for word in words:
        word = _HASHTAG_UNSAFE.sub("", word or "")
        if len(word) < 2:
            continue
        tags.append(f"#{word}#" if style == "weibo" else f"#{word}")
        if len(tags) == limit:
            break
    return list(dict.fromkeys(tags))


# -- subtitles and durations -------------------------------------------------


@dataclass(frozen=True)
class Cue:
    index: int
    start: float
    end: float
    text: str


def _subtitle_lines(sentence: str, max_chars: int) -> list[str]:
    """A sentence as subtitle lines of at most ``max_chars``, cut at clause
    marks or between words; the final 。 is dropped as subtitles do."""
    sentence = sentence.strip().rstrip("。；;")
    if length(sentence) <= max_chars:
        return [sentence] if sentence else []
    lines, start = [], 0
    safe = _safe_cuts(sentence)  # once a sentence: offsets stay valid as lines are taken
    while length(sentence) - start > max_chars:
        cuts = [cut for cut in safe if start < cut <= start + max_chars]
        clause = [cut for cut in cuts if sentence[cut - 1] in CLAUSE_END]
        cut = (clause or cuts or [start + max_chars])[-1]
        lines.append(sentence[start:cut].strip().rstrip(CLAUSE_END + " "))
        start = cut
    lines.append(sentence[start:].strip())
    return [line for line in lines if line]


def cues(text: str, *, rate: float = SPEAKING_RATE_CPS, max_chars: int = SUBTITLE_MAX_CHARS) -> list[Cue]:
    """Subtitle cues for ``text`` read at ``rate`` characters a second."""
    if rate <= 0:
        raise ValueError("rate must be positive")
    result, clock = [], 0.0
    for sentence in split_sentences(text):
        for line in _subtitle_lines(sentence, max_chars):
            seconds = max(SUBTITLE_MIN_SECONDS, length(line) / rate)
            result.append(Cue(len(result) + 1, clock, clock + seconds, line))
            clock += seconds
    return result


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d},{millis:03d}"


def srt(text: str, *, rate: float = SPEAKING_RATE_CPS, max_chars: int = SUBTITLE_MAX_CHARS) -> str:
    """SubRip subtitles of ``text``, one cue per sentence or sentence part,
    timed at ``rate`` characters a second."""
    blocks = [
        f"{cue.index}\n{_timestamp(cue.start)} --> {_timestamp(cue.end)}\n{cue.text}\n"
        for cue in cues(text, rate=rate, max_chars=max_chars)
    ]
    return "\n".join(blocks)


_SPOKEN = re.compile(r"[\w]", re.UNICODE)


def spoken_length(text: str) -> int:
    """Characters that are read aloud (punctuation and spaces are not)."""
    return len(_SPOKEN.findall(text or ""))


def reading_seconds(text: str, *, rate: int = READING_RATE_CPM) -> int:
    """Seconds a presenter needs for ``text`` at ``rate`` characters a minute."""
    if rate <= 0:
        raise ValueError("rate must be positive")
    return math.ceil(spoken_length(text) * 60 / rate)


def is_readable(text: str) -> bool:
    """Text a person could read: some letters or characters, no control
    characters and no U+FFFD (what broken encodings leave)."""
    if not text or "\ufffd" in text:
        return False
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        return False
    return any(ch.isalpha() for ch in text)
