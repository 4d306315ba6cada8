"""Counting, trimming, summaries, hashtags, subtitles and durations."""

import re

import pytest

from rongmei.versions import text


def test_emoji_and_extension_b_are_one_character_each():
    line = "西城😀𠀀𪚥"  # an emoji (U+1F600) and CJK Extension B (U+20000, U+2A6A5)
    assert text.length(line) == 5
    assert len(line.encode("utf-16-le")) // 2 == 8  # what a UTF-16 count would wrongly give
    assert text.weibo_length(line) == 5


def test_weibo_counts_two_ascii_characters_as_one():
    assert text.weibo_length("中文") == 2
    assert text.weibo_length("ab") == 1
    assert text.weibo_length("abc") == 2
    assert text.weibo_length("西城 https://x.cn/a") == 2 + 8  # " https://x.cn/a" is 15 ASCII characters
    assert text.weibo_length("中" * 140) == 140 and text.weibo_length("a" * 280) == 140


def test_sentences_split_at_end_marks_but_never_inside_a_quotation():
    sentences = text.split_sentences("李大爷说：“装好了。方便多了！”今年78岁。《西城。报》开栏\n下一段")
    assert sentences == ["李大爷说：“装好了。方便多了！”", "今年78岁。", "《西城。报》开栏", "下一段"]


def test_trimming_keeps_whole_sentences_when_they_fit():
    source = "第一句话很短。第二句话也不长。第三句话写得比较长一些。"
    assert text.trim(source, 15) == "第一句话很短。第二句话也不长。"
    assert text.trim(source, 100) == source


@pytest.mark.parametrize("limit", range(6, 40))
def test_trimming_never_cuts_a_word_a_number_a_name_or_a_quotation(limit):
    source = "据统计，全区今年累计服务老人3.5万人次、同比增长5.2%，李大爷说“方便多了真方便”，《北京西城报》作了报道"
    result = text.trim(source, limit)
    assert text.length(result) <= limit
    body = result.rstrip("…")
    assert source.startswith(body)
    for whole in ("3.5", "5.2%", "李大爷", "“方便多了真方便”", "《北京西城报》", "统计"):
        start = source.find(whole)
        # the cut is not strictly inside any of these
        assert not (start < len(body) < start + len(whole)), (limit, result)


def test_trimming_counts_the_way_it_is_told():
    source = "abcdefghij中文很好。"
    assert text.weibo_length(text.trim(source, 8, count=text.weibo_length)) <= 8


def test_a_summary_prefers_the_sentences_with_the_keywords_and_keeps_their_order():
    source = "天气晴朗。西城区新增十家养老驿站。驿站提供助餐服务。午后有风。"
    summary = text.summarise(source, 21, words=["养老", "驿站", "助餐"])
    assert summary == "西城区新增十家养老驿站。驿站提供助餐服务。"
    assert text.length(text.summarise(source * 10, 30)) <= 30


def test_hashtags_from_keywords():
    assert text.hashtags(["养老 服务", "社区", "a", "驿站", "西城"], 3) == ["#养老服务#", "#社区#", "#驿站#"]
    assert text.hashtags(["养老"], style="short_video") == ["#养老"]


def test_srt_is_timed_at_the_speaking_rate():
    srt = text.srt("西城区新增十家社区养老驿站。老人吃饭更方便了！", rate=5)
    blocks = srt.strip().split("\n\n")
    assert len(blocks) == 2
    index, times, line = blocks[0].split("\n")
    assert index == "1" and line == "西城区新增十家社区养老驿站"
    assert times == "00:00:00,000 --> 00:00:02,600"  # 13 characters at 5 a second
    assert blocks[1].split("\n")[1:] == ["00:00:02,600 --> 00:00:04,400", "老人吃饭更方便了！"]  # 9 at 5 a second
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}", b.split("\n")[1]) for b in blocks)


def test_long_sentences_become_several_subtitle_lines():
    cues = text.cues("记者从区民政局获悉，今年西城区新增十家社区养老服务驿站，预计年内全部投入使用。", max_chars=12)
    assert all(text.length(cue.text) <= 12 for cue in cues)
    joined = "".join(cue.text for cue in cues)
    assert joined == "记者从区民政局获悉今年西城区新增十家社区养老服务驿站预计年内全部投入使用"


def test_emoji_and_extension_b_in_subtitles_and_durations():
    assert text.cues("𠀀𠀁😀。")[0].text == "𠀀𠀁😀"
    assert text.reading_seconds("字" * 250, rate=250) == 60
    assert text.reading_seconds("字，" * 125, rate=250) == 30  # punctuation is not read


def test_rates_must_be_positive():
    with pytest.raises(ValueError):
        text.srt("一句。", rate=0)
    with pytest.raises(ValueError):
        text.reading_seconds("一句。", rate=0)
