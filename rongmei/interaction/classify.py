"""Classifying inbox items: category (分类), topic, grade (分级) and the
sensitive-content flag.

- **Category, version 1:** a keyword and phrase lexicon (each
  :class:`InboxCategory`'s ``keywords``). The text is cut with jieba (the
  newsroom dictionary); a keyword that jieba keeps as one word must be one
  of the text's words (so 医院 does not match inside 兽医院's neighbours), a
  longer phrase is looked for as it is. Each match scores its length; the
  best-scoring category wins, ties go to the earlier category; no match
  gives the fallback category (其他). The longest keyword found is the
  item's *topic* (what surges and repeats are counted on).
- **Category, version 2:** once enough items have been corrected by hand
  (``INTERACTION_CLASSIFIER_MIN_CORRECTIONS``), :mod:`rongmei.interaction.training`
  trains a scikit-learn classifier on them; it is used only while its
  accuracy on the held-out set beats the lexicon's.
- **Grade:** :class:`Grader` applies the :class:`GradeRule` rows. It keeps
  the counts it needs (per author, per topic and hour) in memory for one
  batch, loaded with two queries, so a pull of thousands of items does not
  query per item.
- **Sensitive content:** the proofreading lexicon's forbidden and
  sensitive words, and :data:`ABUSIVE` words.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from rongmei.interaction.models import GRADE_RANK, Grade, GradeRule, InboxCategory, Item

# Abuse that the news lexicon does not list (it is about news wording).
ABUSIVE = ("傻逼", "傻B", "煞笔", "脑残", "去死", "滚蛋", "狗官", "废物", "王八蛋", "混蛋", "他妈的", "操你")
CLASSIFY_CHARS = 400
CLAUSE_REACH = 6  # characters cut with jieba on each side of a match, within its clause
_BREAK = re.compile(r"[\s，。！？；、,.!?;:：…]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text as stored: control characters (PostgreSQL refuses NUL) removed,
    line ends normalised; emoji and rare characters (𠮷) kept."""
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def words(text: str) -> list[str]:
    """jieba's words of ``text`` (precise mode, no HMM: fast and stable),
    lower-cased, without spaces and punctuation. Module-level so that a
    pickled classifier can find it."""
    from rongmei.core.text import tokenizer

    return [w.lower() for w in tokenizer().lcut(text, HMM=False) if w.strip() and _WORDLIKE.search(w)]


_WORDLIKE = re.compile(r"\w")


# -- the lexicon


def _dictionary() -> dict:
    from rongmei.core.text import tokenizer

    jieba = tokenizer()
    jieba.check_initialized()
    return jieba.FREQ


_crossers_lock = threading.Lock()
_crossers_cache: dict = {}


def crossing_words(keywords) -> object | None:
    """An Aho-Corasick automaton of the words of jieba's dictionary that
    can cross an edge of one of ``keywords`` (placed over the keyword, the
    word agrees with it where they overlap and sticks out on at least one
    side: 马路 and 灯光 for 路灯). Where none of them crosses a match's
    edges, jieba's best cut passes through both edges and the match, one
    word when cut alone, is one word of the text: no need to cut. Built
    once a process for a set of keywords (about a second: one pass over the
    dictionary); each item then costs one pass of the automaton."""
    import ahocorasick

    freq = _dictionary()
    key = (frozenset(keywords), id(freq), len(freq))
    with _crossers_lock:
        if key in _crossers_cache:
            return _crossers_cache[key]
        starts = {k[:n] for k in keywords for n in range(1, len(k) + 1)}  # what may follow a start edge
        ends = {k[n:] for k in keywords for n in range(len(k))}  # what may come before an end edge
        lengths = sorted({len(k) for k in keywords})
        automaton = ahocorasick.Automaton()
        for word, count in freq.items():
            if not count or len(word) < 2:
                continue
            word = word.lower()
            for cut in range(1, len(word)):
                left, right = word[:cut], word[cut:]
                if (
                    right in starts
                    or left in ends
                    or any(right[:n] in keywords for n in lengths if n < len(right))
                    or any(left[-n:] in keywords for n in lengths if n < len(left))
                ):
                    automaton.add_word(word, len(word))
                    break
        automaton = automaton if len(automaton) else None
        if automaton is not None:
            automaton.make_automaton()
        _crossers_cache.clear()  # one set of keywords in use at a time
        _crossers_cache[key] = automaton
        return automaton


def kept_as_word(text: str, start: int, stop: int) -> bool:
    """Whether jieba (precise mode, no HMM, as :func:`words`) cutting
    ``text`` gives ``text[start:stop]`` as one word: jieba's own best route
    (the most probable split by the dictionary's frequencies) over the block
    of ``text`` that holds the span, without building the words."""
    import jieba  # its pattern of what it cuts as one block, not a copy that could drift

    block = next((m for m in jieba.re_han_default.finditer(text) if m.start() <= start and stop <= m.end()), None)
    if block is None:
        return False
    from rongmei.core.text import tokenizer

    jieba = tokenizer()
    freq, logtotal = _dictionary(), math.log(jieba.total)
    sentence, offset = block.group(), block.start()
    size = len(sentence)
    score = [0.0] * (size + 1)
    step = [0] * (size + 1)
    for first in range(size - 1, -1, -1):
        best, best_last = None, first
        last, fragment = first, sentence[first]
        while last < size and fragment in freq:  # the words starting here (jieba's DAG)
            if freq[fragment]:
                value = math.log(freq[fragment]) - logtotal + score[last + 1]
                if best is None or value >= best:  # ties: the longer word, as jieba's max((score, end))
                    best, best_last = value, last
            last += 1
            fragment = sentence[first : last + 1]
        if best is None:  # no word: the character alone (frequency taken as 1)
            best = -logtotal + score[first + 1]
        score[first], step[first] = best, best_last
    position = 0
    while position + offset < start:
        position = step[position] + 1
    return position + offset == start and step[position] + 1 + offset == stop


def _crossed(occurrences: list[tuple[int, int]], start: int, stop: int) -> bool:
    """Whether one of the dictionary words found at ``occurrences``
    (start, stop) crosses an edge of ``text[start:stop]``."""
    return any((a < start < b or a < stop < b) and (a, b) != (start, stop) for a, b in occurrences)


@dataclass
class Lexicon:
    """The categories' keywords in one Aho-Corasick automaton. A keyword
    jieba keeps as one word counts only where jieba, cutting the clause
    around the match, gives it as a word (医院 does not match inside
    兽医院); a longer phrase counts wherever it appears. Only the clauses
    with a match are cut, so the cost hardly grows with the text."""

    categories: list[InboxCategory]
    fallback: InboxCategory | None
    automaton: object = None
    crossers: object = None  # see :func:`crossing_words`
    keywords: dict[str, tuple[bool, list[tuple[int, int]]]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lexicon:
        import ahocorasick

        from rongmei.core.text import tokenizer

        categories = list(InboxCategory.objects.filter(is_active=True).order_by("sort_order", "name"))
        fallback = next((c for c in categories if c.is_fallback), None)
        lexicon = cls(categories, fallback)
        for index, category in enumerate(categories):
            for keyword in category.keyword_list():
                keyword = keyword.lower()
                is_word = len(tokenizer().lcut(keyword, HMM=False)) == 1
                lexicon.keywords.setdefault(keyword, (is_word, []))[1].append((index, len(keyword)))
        automaton = ahocorasick.Automaton()
        for keyword in lexicon.keywords:
            automaton.add_word(keyword, keyword)
        if lexicon.keywords:
            automaton.make_automaton()
            lexicon.automaton = automaton
            lexicon.crossers = crossing_words({k for k, (is_word, _t) in lexicon.keywords.items() if is_word})
        return lexicon

    def matches(self, text: str) -> list[str]:
        """The keywords found in ``text`` (its first ``CLASSIFY_CHARS`` characters)."""
        text = text[:CLASSIFY_CHARS]
        lowered = text.lower()
        if self.automaton is None:
            return []
        found: dict[str, None] = {}
        breaks = occurrences = None
        for end, keyword in self.automaton.iter(lowered):
            if keyword in found:
                continue
            is_word, _targets = self.keywords[keyword]
            start = end - len(keyword) + 1
            if is_word and occurrences is None:
                occurrences = (
                    [(stop - size + 1, stop + 1) for stop, size in self.crossers.iter(lowered)] if self.crossers else []
                )
            if is_word and _crossed(occurrences, start, end + 1):
                if breaks is None:
                    breaks = [m.start() for m in _BREAK.finditer(lowered)]
                at = bisect.bisect_left(breaks, start)
                left = breaks[at - 1] + 1 if at else 0
                right = breaks[at] if at < len(breaks) else len(lowered)
                window = max(left, start - CLAUSE_REACH)
                if not kept_as_word(
                    lowered[window : min(right, end + 1 + CLAUSE_REACH)], start - window, end + 1 - window
                ):
                    continue
            found[keyword] = None
        return list(found)

    def classify(self, text: str) -> tuple[InboxCategory | None, str]:
        """(category, topic) of ``text``: the best-scoring category (each
        keyword scores its length; ties go to the earlier category) and the
        longest keyword found. Only the first ``CLASSIFY_CHARS`` characters
        are read: what a comment is about shows at its start, and a
        20,000-character one costs no more than a short one."""
        scores: dict[int, int] = defaultdict(int)
        topic = ""
        for keyword in self.matches(text):
            for index, weight in self.keywords[keyword][1]:
                scores[index] += weight
            if len(keyword) > len(topic):
                topic = keyword
        if not scores:
            return self.fallback, (self.fallback.name if self.fallback else "")
        best = max(scores, key=lambda i: (scores[i], -i))
        return self.categories[best], topic or self.categories[best].name


# -- the trained classifier, when one is in use

_model_lock = threading.Lock()
_model_cache: dict = {"run": None, "model": None}


def active_model():
    """(run, pipeline) of the classifier in use, or (None, None)."""
    from rongmei.interaction.models import ClassifierRun
    from rongmei.interaction.training import load_model

    run = ClassifierRun.objects.filter(in_use=True).order_by("-trained_at", "-id").first()
    if run is None:
        return None, None
    with _model_lock:
        if _model_cache["run"] != run.pk:
            _model_cache["model"] = load_model(run)
            _model_cache["run"] = run.pk
        return run, _model_cache["model"]


# -- sensitive content


def sensitive_terms(text: str, lexicon=None) -> list[str]:
    """The forbidden, sensitive and abusive words found in ``text``."""
    from rongmei.proofreading.engine import current_lexicon
    from rongmei.proofreading.models import Rule

    lexicon = lexicon or current_lexicon()
    found = [hit.text for hit in lexicon.find(text) if hit.rule in (Rule.FORBIDDEN, Rule.SENSITIVE)]
    lowered = text.lower()
    found += [word for word in ABUSIVE if word.lower() in lowered]
    return list(dict.fromkeys(found))


# -- grading


class Grader:
    """Grades items of one batch against the active rules; see the module's docstring."""

    def __init__(self, rules: list[GradeRule] | None = None):
        self.rules = list(GradeRule.objects.filter(is_active=True)) if rules is None else rules
        self.keyword_rules = [
            (rule, [word.lower() for word in rule.keyword_list()])
            for rule in self.rules
            if rule.kind == GradeRule.Kind.KEYWORD and rule.keyword_list()
        ]
        # One scan of the text for every rule's words: most texts have none.
        words = {word for _rule, keywords in self.keyword_rules for word in keywords}
        self.any_keyword = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None
        self.counted_rules = [rule for rule in self.rules if rule.kind != GradeRule.Kind.KEYWORD]
        counting = [rule for rule in self.rules if rule.kind != GradeRule.Kind.KEYWORD]
        self.window = max((self._span(rule) for rule in counting), default=dt.timedelta(0))
        self.by_author: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
        self.by_topic: dict[str, list[dt.datetime]] = defaultdict(list)
        self.span: tuple[dt.datetime, dt.datetime] | None = None  # of a whole pull, see :meth:`cover`
        self.loaded_authors: set = set()
        self.loaded_topics: set = set()
        self.needs_authors = any(rule.kind == GradeRule.Kind.REPEAT_AUTHOR for rule in self.rules)
        self.needs_topics = any(rule.kind in (GradeRule.Kind.REPEAT_TOPIC, GradeRule.Kind.SURGE) for rule in self.rules)

    @staticmethod
    def _span(rule: GradeRule) -> dt.timedelta:
        hours = rule.window_hours + (1 if rule.kind == GradeRule.Kind.SURGE else 0)
        return dt.timedelta(hours=hours)

    def cover(self, times: list[dt.datetime]) -> None:
        """Say which posting times the whole pull spans, so that each
        author and topic is loaded once for all its batches."""
        if times:
            self.span = (min(times) - self.window, max(times))

    def preload(self, items: list) -> None:
        """Load the stored items the rules count, for the authors and topics
        of ``items`` not loaded yet (two queries at most)."""
        if not items or not self.window:
            return
        if self.span is None:
            self.cover([item.posted_at for item in items])
        start, end = self.span
        touched = []
        if self.needs_authors:
            authors = {item.author for item in items if item.author} - self.loaded_authors
            self.loaded_authors |= authors
            if authors:
                for source, author, posted in Item.objects.filter(
                    author__in=authors, posted_at__gte=start, posted_at__lte=end
                ).values_list("source", "author", "posted_at"):
                    self.by_author[(source, author)].append(posted)
                    touched.append(self.by_author[(source, author)])
        if self.needs_topics:
            topics = {item.topic for item in items if item.topic} - self.loaded_topics
            self.loaded_topics |= topics
            if topics:
                for topic, posted in Item.objects.filter(
                    topic__in=topics, posted_at__gte=start, posted_at__lte=end
                ).values_list("topic", "posted_at"):
                    self.by_topic[topic].append(posted)
                    touched.append(self.by_topic[topic])
        for values in {id(v): v for v in touched}.values():
            values.sort()

    @staticmethod
    def _count(values: list[dt.datetime], start: dt.datetime, end: dt.datetime) -> int:
        """Items in (start, end]."""
        return bisect.bisect_right(values, end) - bisect.bisect_right(values, start)

    def grade(self, item) -> tuple[str, list[str]]:
        """(grade, reasons) of ``item`` (content, author, source, topic,
        posted_at), counting it in for the next ones of the batch."""
        if item.author:
            bisect.insort(self.by_author[(item.source, item.author)], item.posted_at)
        if item.topic:
            bisect.insort(self.by_topic[item.topic], item.posted_at)
        grade, reasons = Grade.NORMAL, []
        text = item.content.lower()
        if self.any_keyword is not None and self.any_keyword.search(text):
            for rule, keywords in self.keyword_rules:
                hit = next((word for word in keywords if word in text), None)
                if hit:
                    grade = max(grade, rule.grade, key=GRADE_RANK.get)
                    reasons.append(f"{rule.name}：{hit}")
        for rule in self.counted_rules:
            reason = self._counted(rule, item)
            if reason:
                grade = max(grade, rule.grade, key=GRADE_RANK.get)
                reasons.append(reason)
        return grade, reasons

    def _counted(self, rule: GradeRule, item) -> str:
        window = dt.timedelta(hours=rule.window_hours)
        at = item.posted_at
        if rule.kind == GradeRule.Kind.REPEAT_AUTHOR and item.author:
            n = self._count(self.by_author[(item.source, item.author)], at - window, at)
            if n >= rule.threshold:
                return f"{rule.name}：{item.author} {n} 条"
        elif rule.kind == GradeRule.Kind.REPEAT_TOPIC and item.topic:
            n = self._count(self.by_topic[item.topic], at - window, at)
            if n >= rule.threshold:
                return f"{rule.name}：{item.topic} {n} 条"
        elif rule.kind == GradeRule.Kind.SURGE and item.topic:
            values = self.by_topic[item.topic]
            hour = dt.timedelta(hours=1)
            now_count = self._count(values, at - hour, at)
            before = self._count(values, at - hour - window, at - hour)
            average = before / max(rule.window_hours, 1)
            if now_count >= rule.threshold and now_count >= rule.factor * average:
                return f"{rule.name}：{item.topic} 一小时 {now_count} 条（此前每小时平均 {average:.1f} 条）"
        return ""


# -- everything at once


class Classifier:
    """Category, topic, grade and flag for a batch of new items."""

    def __init__(self):
        from rongmei.proofreading.engine import current_lexicon

        self.lexicon = Lexicon.load()
        self.run, self.model = active_model()
        self.by_name = {c.name: c for c in self.lexicon.categories}
        self.proofreading = current_lexicon()
        self.grader = Grader()

    def categorise(self, text: str) -> tuple[InboxCategory | None, str, str]:
        """(category, topic, by) of one text."""
        category, topic = self.lexicon.classify(text)
        if self.model is not None:
            predicted = self.by_name.get(str(self.model.predict([text])[0]))
            if predicted is not None:
                if predicted != category:
                    topic = predicted.name
                return predicted, topic, Item.CategoryBy.MODEL
        return category, topic, Item.CategoryBy.LEXICON

    def apply(self, items: list[Item]) -> list[Item]:
        """Fill in each item's category, topic, flag and grade (in order of posting)."""
        if self.model is not None and items:
            predicted = self.model.predict([item.content for item in items])
        else:
            predicted = [None] * len(items)
        for item, guess in zip(items, predicted, strict=True):
            category, item.topic = self.lexicon.classify(item.content)
            item.category_by = Item.CategoryBy.LEXICON
            if guess is not None and str(guess) in self.by_name:
                model_category = self.by_name[str(guess)]
                if model_category != category:
                    item.topic = model_category.name
                category, item.category_by = model_category, Item.CategoryBy.MODEL
            item.category = category
            item.topic = item.topic[:40]
            item.flagged_terms = sensitive_terms(item.content, self.proofreading)
            item.flagged = bool(item.flagged_terms)
        self.grader.preload(items)
        for item in sorted(items, key=lambda i: i.posted_at):
            item.grade, item.grade_reasons = self.grader.grade(item)
        return items
