"""Suggested keywords for an asset, from its caption (jieba TextRank).

The words are cut with the newsroom tokenizer of :mod:`rongmei.core.text`,
the same one the search index uses, so that a suggested keyword such as
「融媒体中心」 or 「接诉即办」 is one word here as it is in the index. TextRank
ranks the nouns, place names and verbal nouns of the caption by how they
co-occur; a caption too short for a graph (one or two words) falls back to
its nouns in order of appearance.
"""

import threading

from rongmei.core.text import NEWSROOM_DICT, tokenizer

# Nouns, place names, names of people and organisations, verbal nouns.
KEYWORD_POS = ("n", "nr", "ns", "nt", "nz", "vn", "v")
# Words TextRank should never suggest, besides jieba's own stop words.
STOP_WORDS = frozenset(
    "进行 开展 举行 表示 召开 参加 工作 活动 情况 有关 相关 方面 问题 同志 记者 拍摄 现场 图为 今天 昨天 目前 通过 "
    "没有 成为 可以 进一步 一个 这个 这些 我们 他们".split()
)

_textrank = None
_lock = threading.Lock()


def _extractor():
    """jieba's TextRank over the newsroom tokenizer, built once per process."""
    global _textrank
    if _textrank is None:
        with _lock:
            if _textrank is None:
                import jieba.analyse
                import jieba.posseg

                pos = jieba.posseg.POSTokenizer(tokenizer())
                # The newsroom dictionary's parts of speech (融媒体 n, 西城区 ns…),
                # read here rather than from the shared tokenizer, which hands
                # them to the first POS tokenizer only.
                for line in NEWSROOM_DICT.read_text(encoding="utf-8").splitlines():
                    parts = line.split()
                    if len(parts) == 3:
                        pos.word_tag_tab[parts[0]] = parts[2]
                extractor = jieba.analyse.TextRank()
                extractor.tokenizer = extractor.postokenizer = pos
                extractor.stop_words = extractor.stop_words | STOP_WORDS
                _textrank = extractor
    return _textrank


def _keep(word: str) -> bool:
    word = word.strip()
    return len(word) >= 2 and not word.isdigit() and word not in STOP_WORDS


def suggest_keywords(text: str, limit: int = 8) -> list[str]:
    """Up to ``limit`` keywords for ``text``, the most central first."""
    text = (text or "").strip()
    if not text or limit <= 0:
        return []
    extractor = _extractor()
    with _lock:  # jieba's POS tokenizer keeps state between calls
        ranked = extractor.textrank(text, topK=limit * 2, allowPOS=KEYWORD_POS)
        words = [word for word in ranked if _keep(word)]
        if len(words) < limit:  # tag the text again only when TextRank found too few
            tagged = list(extractor.postokenizer.cut(text))
            words += [pair.word for pair in tagged if pair.flag in KEYWORD_POS and _keep(pair.word)]
    return list(dict.fromkeys(words))[:limit]
