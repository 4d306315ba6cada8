"""The proofreading engine (校对引擎).

What other apps use:

``check(text, *, lexicon=None) -> list[Hit]``
    Every hit in a plain text, sorted by position. Without ``lexicon`` the
    center's active lexicon is used (compiled once per process and recompiled
    when any process changes it); pass a :class:`Lexicon` to check against
    something else.
``summarise(hits) -> dict`` and ``has_blocking(hits) -> bool``
    What a story's save, submit and the API show: counts by severity and
    whether a blocking hit stops submission.
``Hit``, ``Lexicon``, ``Term``, ``current_lexicon()``

Offsets: ``Hit.start`` and ``Hit.end`` count characters (Python ``str``
indices, end exclusive) in the text that was checked, so
``text[hit.start:hit.end] == hit.text``. For rich text that is
``rongmei.core.text.html_to_plain(html).text``; ``PlainText.html_span()``
turns them into offsets in the HTML source, for example to wrap a hit in ``<mark>``.

Lexicon rules: forbidden words, sensitive words, the wrong forms of
standard expressions and leaders' names are found in one pass of an
Aho-Corasick automaton (pyahocorasick), built once per lexicon revision. A
match inside a longer match is not reported, so the longest match at a
position wins, and so does a match inside an *allowed* span: an entry of
kind "allowed" (an exception such as 农村长期 for 村长) or the right form of a
standard expression (朝鲜族 is not a use of 鲜族). Matches that only overlap
are both reported.

The mechanical rules are described in the docstring of each ``_check_*``
function below.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import ahocorasick
from django.utils.translation import gettext_lazy as _

from rongmei.proofreading.models import (
    LEADER_SEPARATOR,
    SEVERITY_RANK,
    Kind,
    LexiconEntry,
    LexiconRevision,
    Rule,
    Severity,
    split_leader_names,
)

MESSAGES = {
    Rule.FORBIDDEN: _("This word must not be used in news reports."),
    Rule.SENSITIVE: _("Use this word with care in news reports."),
    Rule.STANDARD_EXPRESSION: _("This is not the standard form of the expression."),
    Rule.LEADER_ORDER: _("These names are not in the order set in the lexicon."),
    Rule.REPEATED_PUNCTUATION: _("Punctuation marks are repeated here."),
    Rule.HALFWIDTH_PUNCTUATION: _("Half-width punctuation in Chinese text: use the full-width mark."),
    Rule.UNPAIRED_MARK: _("This mark has no matching partner."),
    Rule.DOUBLED_CHARACTER: _("This character is written twice."),
    Rule.INCONSISTENT_NUMBER_FORMAT: _("This number is written differently from most numbers of its kind here."),
    Rule.INCONSISTENT_DATE_FORMAT: _("This date is written differently from most dates in this text."),
}

# Function characters whose doubling is almost always a slip of the keyboard,
# each with the words in which the doubled pair is legitimate (目的的 =
# 目的 + 的, 的的确确, 打的的 = 打的 + 的). Characters that form common words
# across a boundary are left out on purpose: 了了 (受不了了, 不了了之),
# 是是 (但是是否), 在在 (现在在), 就就 (就就业), 所所 (研究所所长), and
# reduplications (常常, 天天, 谢谢, 看看, 仔仔细细) never match.
DOUBLED_CHARACTERS: dict[str, tuple[str, ...]] = {
    "的": ("目的的", "的的确", "打的的"),
    "也": (),
    "很": (),
    "吗": (),
}

# Paired marks, opening to closing.
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】"}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_HALFWIDTH_RE = re.compile(
    rf"(?<=[{_CJK}])\.{{3,}}"  # an ASCII ellipsis after Chinese
    rf"|(?<=[{_CJK}])[,;:?!()\"]|[,;:?!()\"](?=[{_CJK}])"
    rf"|(?<=[{_CJK}])\.(?![0-9A-Za-z.])"  # a full stop, not a decimal point, URL or version
)
_REPEATED_RE = re.compile(r"[，。、；：？！,;:?!]{2,}")
_ALLOWED_PUNCTUATION_RUNS = {"？！", "！？", "?!", "!?"}
_DOUBLED_RE = re.compile("|".join(re.escape(ch * 2) for ch in DOUBLED_CHARACTERS))
_MARKS_RE = re.compile("[" + re.escape("".join(PAIRS) + "".join(PAIRS.values())) + "\n]")
_CLOSERS = {closing: opening for opening, closing in PAIRS.items()}

_CN_DIGITS = "〇一二三四五六七八九"
_DATE_RE = re.compile(
    r"(?P<cn>(?:(?P<cn_y>[0-9]{4})年)?(?P<cn_m>[0-9]{1,2})月(?P<cn_d>[0-9]{1,2})日)"
    r"|(?P<cnnum>(?P<cnnum_y>[〇零一二三四五六七八九]{4})年(?P<cnnum_m>[一二三四五六七八九十]{1,2})月"
    r"(?P<cnnum_d>[一二三四五六七八九十]{1,3})日)"
    r"|(?<![0-9.\-/])(?P<num>(?P<num_y>[0-9]{4})(?P<sep>[-/.])(?P<num_m>[0-9]{1,2})(?P=sep)(?P<num_d>[0-9]{1,2}))"
    r"(?![0-9])"
)
_DATE_STYLES = {"-": "iso", "/": "slash", ".": "dot"}
_DIGITS_RE = re.compile(r"[0-9]+|[０-９]+")
_PERCENT_RE = re.compile(
    r"(?P<arabic>[0-9]+(?:\.[0-9]+)?[%％])|(?P<chinese>百分之(?!百)[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"
)
_LIST_GAP_WORDS = {"", "和", "与", "及", "以及", "同"}
_LIST_GAP_STOPS = set("，。；！？：,.;!?:\n")
_LIST_GAP_MAX = 15


@dataclass(frozen=True)
class Hit:
    """One finding: where (character offsets into the checked text), what,
    which rule, why (``message``, translated when shown), what to write
    instead (``suggestion``, may be empty) and how serious it is."""

    start: int
    end: int
    text: str
    rule: str
    message: str
    suggestion: str
    severity: str
    note: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rule"], data["severity"], data["message"] = str(self.rule), str(self.severity), str(self.message)
        return data


@dataclass(frozen=True)
class Term:
    """A lexicon entry as the engine sees it; ``LexiconEntry`` rows and any
    object with these attributes will do."""

    kind: str
    term: str
    suggestion: str = ""
    severity: str = Severity.WARNING
    note: str = ""


@dataclass(frozen=True)
class _LeaderOrder:
    names: tuple[str, ...]
    severity: str
    note: str


_WORD, _ALLOWED, _LEADER = 0, 1, 2


def _wide(text: str) -> str:
    """``text`` with each character spelled as the four bytes of its UTF-32
    code, as Latin-1 characters.

    pyahocorasick looks a character up among a trie node's children one by
    one; with Chinese terms the root alone has thousands of children, which
    made a check ten times slower. Spelled this way no node has more than
    256 children. A match is real only if it ends on a character boundary.
    """
    return text.encode("utf-32-be").decode("latin-1")


class Lexicon:
    """Lexicon entries compiled for matching: one Aho-Corasick automaton over
    every term, allowed phrase and leader's name. Build it once and reuse it;
    building costs far more than a check."""

    def __init__(self, entries: Iterable):
        payloads: dict[str, list] = defaultdict(list)
        self.leader_orders: list[_LeaderOrder] = []
        self.size = 0
        for entry in entries:
            self.size += 1
            kind, term = str(entry.kind), entry.term
            if kind == Kind.LEADER_ORDER:
                names = tuple(split_leader_names(term))
                index = len(self.leader_orders)
                self.leader_orders.append(_LeaderOrder(names, str(entry.severity), entry.note))
                for rank, name in enumerate(names):
                    payloads[name].append((_LEADER, index, rank))
            elif kind == Kind.ALLOWED:
                payloads[term].append((_ALLOWED,))
            elif term:
                rule = Rule(kind)
                severity = str(entry.severity)
                payloads[term].append((_WORD, rule, severity, entry.suggestion, entry.note))
                if kind == Kind.STANDARD_EXPRESSION and entry.suggestion:
                    payloads[entry.suggestion].append((_ALLOWED,))
        self._automaton = None
        if payloads:
            automaton = ahocorasick.Automaton()
            for key, items in payloads.items():
                automaton.add_word(_wide(key), (len(key), tuple(items)))
            automaton.make_automaton()
            self._automaton = automaton

    def __len__(self):
        return self.size

    def find(self, text: str) -> list[Hit]:
        """The lexicon hits (words and leader orders) in ``text``."""
        if self._automaton is None:
            return []
        spans = []  # sort key first: start, longer first, allowed first, more severe first
        leaders: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for last, (length, items) in self._automaton.iter(_wide(text)):
            if (last + 1) % 4:
                continue  # straddles two characters
            end = (last + 1) // 4
            start = end - length
            for item in items:
                if item[0] == _LEADER:
                    leaders[item[1]].append((start, end, item[2]))
                elif item[0] == _ALLOWED:
                    spans.append((start, -end, 0, 0, None))
                else:
                    spans.append((start, -end, 1, -SEVERITY_RANK[item[2]], item))
        hits = []
        max_end = -1
        for start, negative_end, _allowed, _severity, item in sorted(spans, key=lambda span: span[:4]):
            end = -negative_end
            if end <= max_end:
                continue  # inside a longer match or an allowed phrase
            max_end = end
            if item is not None:
                _kind, rule, severity, suggestion, note = item
                hits.append(Hit(start, end, text[start:end], rule, MESSAGES[rule], suggestion, severity, note))
        for index, occurrences in leaders.items():
            hits.extend(self._leader_hits(text, self.leader_orders[index], sorted(occurrences)))
        return hits

    @staticmethod
    def _leader_hits(text: str, order: _LeaderOrder, occurrences: list[tuple[int, int, int]]) -> list[Hit]:
        """Names of one leader order that form a list (separated by 、 or by
        和/与/及/以及/同, or by a short title after a 、, within one clause)
        must appear in the lexicon's order."""
        groups: list[list[tuple[int, int, int]]] = []
        for occurrence in occurrences:
            if groups and occurrence[0] < groups[-1][-1][1]:
                continue  # overlaps the previous name
            if groups and _is_list_gap(text[groups[-1][-1][1] : occurrence[0]]):
                groups[-1].append(occurrence)
            else:
                groups.append([occurrence])
        hits = []
        for group in groups:
            ranks: list[int] = []
            for _start, _end, rank in group:
                if rank not in ranks:
                    ranks.append(rank)
            if len(ranks) < 2 or ranks == sorted(ranks):
                continue
            start, end = group[0][0], group[-1][1]
            suggestion = LEADER_SEPARATOR.join(order.names[rank] for rank in sorted(ranks))
            rule = Rule.LEADER_ORDER
            hits.append(Hit(start, end, text[start:end], rule, MESSAGES[rule], suggestion, order.severity, order.note))
        return hits


def _is_list_gap(gap: str) -> bool:
    if len(gap) > _LIST_GAP_MAX or any(ch in _LIST_GAP_STOPS for ch in gap):
        return False
    return "、" in gap or gap.strip() in _LIST_GAP_WORDS


_cache_lock = threading.Lock()
_cache: tuple[object, Lexicon] | None = None


def current_lexicon() -> Lexicon:
    """The active lexicon of the center, compiled once per lexicon revision.

    Costs one primary-key read when nothing changed; any change, by any
    process, changes the revision token (see ``LexiconRevision``) and the
    next call here compiles the lexicon again.
    """
    global _cache
    token = LexiconRevision.current()
    cached = _cache
    if cached is not None and cached[0] == token:
        return cached[1]
    with _cache_lock:
        if _cache is not None and _cache[0] == token:
            return _cache[1]
        # Read the token before the entries: a change committed in between
        # is compiled in now and merely causes one more compile later.
        entries = LexiconEntry.objects.filter(is_active=True).only("kind", "term", "suggestion", "severity", "note")
        lexicon = Lexicon(list(entries))
        _cache = (token, lexicon)
        return lexicon


def check(text: str, *, lexicon: Lexicon | None = None) -> list[Hit]:
    """Every hit in ``text``, sorted by position (then end, then rule)."""
    if lexicon is None:
        lexicon = current_lexicon()
    hits = lexicon.find(text)
    for rule_check in (
        _check_repeated_punctuation,
        _check_halfwidth_punctuation,
        _check_unpaired_marks,
        _check_doubled_characters,
        _check_dates,
        _check_numbers,
    ):
        hits.extend(rule_check(text))
    hits.sort(key=lambda hit: (hit.start, hit.end, hit.rule))
    return hits


def summarise(hits: Sequence[Hit]) -> dict:
    """``{"counts": {"info": n, "warning": n, "blocking": n}, "total": n,
    "blocking": bool}``."""
    counts = Counter(str(hit.severity) for hit in hits)
    return {
        "counts": {severity.value: counts.get(severity.value, 0) for severity in Severity},
        "total": len(hits),
        "blocking": counts.get(Severity.BLOCKING.value, 0) > 0,
    }


def has_blocking(hits: Sequence[Hit]) -> bool:
    """True when a hit stops the story from being submitted without an override."""
    return any(hit.severity == Severity.BLOCKING for hit in hits)


def _hit(match_start: int, text: str, rule: Rule, suggestion: str = "", severity: str = Severity.WARNING) -> Hit:
    return Hit(match_start, match_start + len(text), text, rule, MESSAGES[rule], suggestion, severity)


def _check_repeated_punctuation(text: str) -> list[Hit]:
    """Two or more clause or sentence marks in a row (。。, ！！！, ，。),
    except ？！ and ！？. Ellipses (……) and dashes (——) are not such marks."""
    hits = []
    for match in _REPEATED_RE.finditer(text):
        run = match.group()
        if run in _ALLOWED_PUNCTUATION_RUNS:
            continue
        suggestion = run[0] if len(set(run)) == 1 else ""
        hits.append(_hit(match.start(), run, Rule.REPEATED_PUNCTUATION, suggestion))
    return hits


def _check_halfwidth_punctuation(text: str) -> list[Hit]:
    """An ASCII mark , ; : ? ! ( ) " next to a Chinese character, an ASCII
    full stop after one (not a decimal point, 2.5亿, nor part of a URL), or
    ... after one. Marks inside English or between digits (10:30, 1,000) are
    left alone."""
    hits = []
    for match in _HALFWIDTH_RE.finditer(text):
        mark = match.group()
        if mark == '"':  # an opening quote when an even number of them came before
            suggestion = "“" if text.count('"', 0, match.start()) % 2 == 0 else "”"
        elif mark.startswith("..."):
            suggestion = "……"
        else:
            suggestion = _FULLWIDTH[mark]
        hits.append(_hit(match.start(), mark, Rule.HALFWIDTH_PUNCTUATION, suggestion))
    return hits


def _check_unpaired_marks(text: str) -> list[Hit]:
    """Each “ ‘ 《 （ 【 must be closed by its partner, nesting allowed
    (“他说：‘读《红楼梦》’”). A closing mark that meets another unclosed
    mark first reports that one as unclosed. Two exceptions: a quotation over
    several paragraphs opens each paragraph with “ and closes only the last
    (GB/T 15834), and ’ between Latin letters is an apostrophe (Xi’an)."""
    hits = []
    stack: list[tuple[str, int, bool]] = []  # mark, position, opens a paragraph
    last_break = -1
    for match in _MARKS_RE.finditer(text):
        mark, position = match.group(), match.start()
        if mark == "\n":
            last_break = position
            continue
        at_paragraph_start = position == last_break + 1
        if mark in PAIRS:
            if mark == "“" and at_paragraph_start and stack and stack[-1][0] == "“" and stack[-1][2]:
                if stack[-1][1] < last_break:
                    stack.pop()  # the quotation continues in this paragraph
            stack.append((mark, position, at_paragraph_start))
            continue
        if mark == "’" and _is_apostrophe(text, position):
            continue
        opening = _CLOSERS[mark]
        depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == opening), None)
        if depth is None:
            hits.append(_hit(position, mark, Rule.UNPAIRED_MARK, opening))
            continue
        for unclosed, unclosed_position, _start in stack[depth + 1 :]:
            hits.append(_hit(unclosed_position, unclosed, Rule.UNPAIRED_MARK, PAIRS[unclosed]))
        del stack[depth:]
    for unclosed, unclosed_position, _start in stack:
        hits.append(_hit(unclosed_position, unclosed, Rule.UNPAIRED_MARK, PAIRS[unclosed]))
    return hits


def _is_apostrophe(text: str, position: int) -> bool:
    before = text[position - 1] if position else ""
    after = text[position + 1] if position + 1 < len(text) else ""
    return before.isascii() and before.isalpha() and (not after or (after.isascii() and after.isalpha()))


def _check_doubled_characters(text: str) -> list[Hit]:
    """的的, 也也, 很很, 吗吗 (see ``DOUBLED_CHARACTERS``), except inside the
    words listed there for each character."""
    hits = []
    for match in _DOUBLED_RE.finditer(text):
        start, pair = match.start(), match.group()
        if not any(_inside_word(text, start, pair, word) for word in DOUBLED_CHARACTERS[pair[0]]):
            hits.append(_hit(start, pair, Rule.DOUBLED_CHARACTER, pair[0]))
    return hits


def _inside_word(text: str, start: int, pair: str, word: str) -> bool:
    offset = word.find(pair)
    while offset != -1:
        if start - offset >= 0 and text.startswith(word, start - offset):
            return True
        offset = word.find(pair, offset + 1)
    return False


def _check_dates(text: str) -> list[Hit]:
    """Dates in one text should share one style: 2024年6月1日 (or 6月1日),
    二〇二四年六月一日, 2024-06-01, 2024/6/1 or 2024.6.1. When styles are
    mixed, the most frequent (on a tie, the first seen) is the text's style
    and every date in another style is a hit, with the date rewritten as a
    suggestion where that is possible (not for a date without a year)."""
    dates = []
    for match in _DATE_RE.finditer(text):
        if match.group("cn"):
            style, y, m, d = "cn", match.group("cn_y"), match.group("cn_m"), match.group("cn_d")
            year = int(y) if y else None
        elif match.group("cnnum"):
            style = "cnnum"
            year = int("".join(str(_CN_DIGITS.index(ch.replace("零", "〇"))) for ch in match.group("cnnum_y")))
            m, d = str(_chinese_to_int(match.group("cnnum_m"))), str(_chinese_to_int(match.group("cnnum_d")))
        else:
            style, year = _DATE_STYLES[match.group("sep")], int(match.group("num_y"))
            m, d = match.group("num_m"), match.group("num_d")
        month, day = int(m), int(d)
        if 1 <= month <= 12 and 1 <= day <= 31:
            dates.append((match.start(), match.group(), style, year, month, day))
    dominant = _dominant([date[2] for date in dates])
    if dominant is None:
        return []
    return [
        _hit(start, written, Rule.INCONSISTENT_DATE_FORMAT, _format_date(dominant, year, month, day), Severity.INFO)
        for start, written, style, year, month, day in dates
        if style != dominant
    ]


def _format_date(style: str, year: int | None, month: int, day: int) -> str:
    if style == "cn":
        return f"{year}年{month}月{day}日" if year else f"{month}月{day}日"
    if year is None:
        return ""
    if style == "cnnum":
        return f"{''.join(_CN_DIGITS[int(ch)] for ch in str(year))}年{_int_to_chinese(month)}月{_int_to_chinese(day)}日"
    if style == "iso":
        return f"{year}-{month:02d}-{day:02d}"
    return f"{year}{'/' if style == 'slash' else '.'}{month}{'/' if style == 'slash' else '.'}{day}"


def _check_numbers(text: str) -> list[Hit]:
    """Two kinds of number whose style should not change within a text:
    digits, half-width (2024) or full-width (２０２４); and percentages,
    in Arabic numerals (35%) or in words (百分之三十五; 百分之百, "entirely",
    is an idiom and not counted). The style in the minority is reported."""
    hits = []
    runs = [(match.start(), match.group(), "full" if match.group()[0] in "０１２３４５６７８９" else "half")
            for match in _DIGITS_RE.finditer(text)]  # fmt: skip
    dominant = _dominant([style for _start, _run, style in runs])
    for start, run, style in runs:
        if dominant is not None and style != dominant:
            converted = run.translate(_TO_HALF if dominant == "half" else _TO_FULL)
            hits.append(_hit(start, run, Rule.INCONSISTENT_NUMBER_FORMAT, converted, Severity.INFO))
    percents = [(match.start(), match.group(), "arabic" if match.group("arabic") else "chinese")
                for match in _PERCENT_RE.finditer(text)]  # fmt: skip
    dominant = _dominant([style for _start, _written, style in percents])
    for start, written, style in percents:
        if dominant is not None and style != dominant:
            suggestion = _percent_in_words(written) if dominant == "chinese" else _percent_in_digits(written)
            hits.append(_hit(start, written, Rule.INCONSISTENT_NUMBER_FORMAT, suggestion, Severity.INFO))
    return hits


_TO_HALF = str.maketrans("０１２３４５６７８９", "0123456789")
_TO_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _dominant(styles: list[str]) -> str | None:
    """The most frequent style (the first seen on a tie), or None when all agree."""
    counts = Counter(styles)
    if len(counts) < 2:
        return None
    return max(counts, key=lambda style: (counts[style], -styles.index(style)))


def _chinese_to_int(words: str) -> int:
    """一 … 九千九百九十九 in Chinese numerals to an int (两 = 二, 〇/零 = 0)."""
    units = {"十": 10, "百": 100, "千": 1000}
    total, digit = 0, 0
    for ch in words.replace("两", "二").replace("零", "〇"):
        if ch in units:
            total += (digit or 1) * units[ch]
            digit = 0
        else:
            digit = _CN_DIGITS.index(ch)
    return total + digit


def _int_to_chinese(number: int) -> str:
    """0 … 9999 in Chinese numerals, as written in running text (十五, 一百零五)."""
    if number == 0:
        return "零"
    parts, pending_zero = [], False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(("" if unit == "十" and digit == 1 and not parts else _CN_DIGITS[digit]) + unit)
    return "".join(parts)


def _percent_in_words(written: str) -> str:
    number = written.rstrip("%％")
    whole, _dot, fraction = number.partition(".")
    if int(whole) > 9999:
        return ""
    words = _int_to_chinese(int(whole))
    if fraction:
        words += "点" + "".join(_CN_DIGITS[int(ch)] for ch in fraction).replace("〇", "零")
    return f"百分之{words}"


def _percent_in_digits(written: str) -> str:
    whole, _dot, fraction = written.removeprefix("百分之").partition("点")
    number = str(_chinese_to_int(whole))
    if fraction:
        number += "." + "".join(str(_CN_DIGITS.index(ch.replace("零", "〇"))) for ch in fraction)
    return f"{number}%"
