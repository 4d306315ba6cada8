"""Repeated and half-width punctuation, unpaired marks and doubled
characters are flagged; correct Chinese is not."""

import pytest

from rongmei.proofreading.models import Rule

from .conftest import found


def test_repeated_punctuation_is_flagged():
    assert found("太好了！！！真的吗？？", Rule.REPEATED_PUNCTUATION) == [(3, 6, "！！！", "！"), (9, 11, "？？", "？")]
    assert found("会议结束，。", Rule.REPEATED_PUNCTUATION) == [(4, 6, "，。", "")]


def test_question_with_exclamation_ellipsis_and_dash_are_fine():
    assert found("这是真的？！他说……可是——", Rule.REPEATED_PUNCTUATION) == []


def test_halfwidth_punctuation_next_to_chinese_is_flagged_with_the_fullwidth_mark():
    assert found("记者,张明报道:会议(第一次)开幕.", Rule.HALFWIDTH_PUNCTUATION) == [
        (2, 3, ",", "，"),
        (7, 8, ":", "："),
        (10, 11, "(", "（"),
        (14, 15, ")", "）"),
        (17, 18, ".", "。"),
    ]
    assert found('他说"你好"就走了...', Rule.HALFWIDTH_PUNCTUATION) == [
        (2, 3, '"', "“"),
        (5, 6, '"', "”"),
        (9, 12, "...", "……"),
    ]


@pytest.mark.parametrize(
    "text",
    ["增长2.5亿元", "10:30开会", "共1,000人", "访问www.example.cn查看", "He said: OK, fine.", "版本v1.2发布"],
)
def test_halfwidth_marks_in_numbers_urls_and_english_are_fine(text):
    assert found(text, Rule.HALFWIDTH_PUNCTUATION) == []


def test_matched_marks_nested_in_each_other_are_fine():
    text = "“他说：‘我读过《红楼梦》（人民文学出版社版）和【注释】。’”"
    assert found(text, Rule.UNPAIRED_MARK) == []


def test_an_unclosed_mark_is_flagged_with_its_missing_partner():
    assert found("他说：“我们出发。", Rule.UNPAIRED_MARK) == [(3, 4, "“", "”")]
    assert found("参见红楼梦》一书", Rule.UNPAIRED_MARK) == [(5, 6, "》", "《")]


def test_crossed_marks_are_both_flagged():
    assert found("“《红楼梦”》", Rule.UNPAIRED_MARK) == [(1, 2, "《", "》"), (6, 7, "》", "《")]


def test_a_quotation_over_several_paragraphs_closes_only_in_the_last():
    assert found("“第一段引文。\n“第二段引文。\n“第三段引文。”", Rule.UNPAIRED_MARK) == []


def test_an_apostrophe_in_latin_words_is_not_a_quotation_mark():
    assert found("西安（Xi’an）是古都", Rule.UNPAIRED_MARK) == []


def test_doubled_function_characters_are_flagged():
    assert found("我们的的目标也也很很明确吗吗", Rule.DOUBLED_CHARACTER) == [
        (2, 4, "的的", "的"),
        (6, 8, "也也", "也"),
        (8, 10, "很很", "很"),
        (12, 14, "吗吗", "吗"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "常常、天天、人人、谢谢、看看、星星、渐渐",
        "仔仔细细、干干净净、的的确确",
        "达到目的的手段",
        "打的的人很多",
        "这件事不了了之，我受不了了",
        "现在在开会，研究所所长说，但是是否可行",
    ],
)
def test_legitimate_reduplications_and_word_boundaries_are_not_flagged(text):
    assert found(text, Rule.DOUBLED_CHARACTER) == []
