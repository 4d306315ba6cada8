"""Suggested keywords from a caption (jieba TextRank with the newsroom dictionary)."""

from rongmei.archive.keywords import suggest_keywords


def test_newsroom_words_are_suggested_whole_and_the_central_ones_first():
    caption = (
        "西城区融媒体中心记者在金融街采访接诉即办工作。接诉即办让市民的诉求有人管，"
        "金融街街道把接诉即办和社区服务结合起来。"
    )
    words = suggest_keywords(caption)
    assert "融媒体中心" in words and "接诉即办" in words and "金融街" in words
    assert "融媒" not in words and "媒体" not in words  # not cut into pieces
    assert words.index("接诉即办") < 3  # said three times: central
    assert len(words) == len(set(words)) <= 8


def test_the_limit_and_stop_words_are_respected():
    caption = "京津冀异地康养：北京西城的老人在河北三河的养老机构生活，记者进行了采访"
    assert len(suggest_keywords(caption, limit=3)) == 3
    words = suggest_keywords(caption, limit=20)
    assert "养老" in words or "养老机构" in words
    assert not {"进行", "记者", "的", "了"} & set(words)


def test_a_short_caption_still_gets_its_nouns_and_empty_text_gets_nothing():
    assert set(suggest_keywords("社区养老服务驿站")) == {"社区", "养老服务", "驿站"}
    assert suggest_keywords("西城区") == ["西城区"]  # one word: no graph, the noun itself
    assert suggest_keywords("") == [] and suggest_keywords("   ") == [] and suggest_keywords("。，！") == []
    assert suggest_keywords("养老", limit=0) == []
