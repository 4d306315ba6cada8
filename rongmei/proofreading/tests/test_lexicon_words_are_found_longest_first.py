"""Forbidden words, sensitive words and standard expressions are found with
their offsets; the longest match wins and allowed phrases are left alone."""

from rongmei.proofreading.engine import check, has_blocking, summarise
from rongmei.proofreading.models import Rule

from .conftest import found, lexicon

WORDS = lexicon(
    ("forbidden", "台湾政府", "台湾当局", "blocking"),
    ("sensitive", "老板", "负责人", "info"),
    ("standard_expression", "十四五规划", "“十四五”规划", "warning"),
    ("standard_expression", "鲜族", "朝鲜族", "warning"),
    ("standard_expression", "两个一百年", "“两个一百年”", "info"),
    ("standard_expression", "村长", "村主任", "warning"),
    ("allowed", "农村长"),
    ("forbidden", "民国", "", "warning"),
    ("forbidden", "中华民国总统", "台湾地区领导人", "blocking"),
)


def test_each_kind_is_found_with_its_offsets_rule_suggestion_and_severity():
    text = "据报道，台湾政府称，老板们关注十四五规划。"
    hits = check(text, lexicon=WORDS)
    assert [(h.start, h.end, h.text, h.rule, h.suggestion, h.severity) for h in hits] == [
        (4, 8, "台湾政府", Rule.FORBIDDEN, "台湾当局", "blocking"),
        (10, 12, "老板", Rule.SENSITIVE, "负责人", "info"),
        (15, 20, "十四五规划", Rule.STANDARD_EXPRESSION, "“十四五”规划", "warning"),
    ]
    assert all(text[h.start : h.end] == h.text for h in hits)
    assert all(str(h.message) for h in hits)


def test_offsets_count_characters_even_beyond_the_basic_plane():
    assert found("👍🏻台湾政府，𠮷老板", against=WORDS) == [(2, 6, "台湾政府", "台湾当局"), (8, 10, "老板", "负责人")]


def test_text_without_lexicon_words_has_no_hits():
    assert check("西城区融媒体中心今天发布“十四五”规划的实施情况。", lexicon=WORDS) == []


def test_the_longest_match_at_a_position_wins():
    assert found("他被称为中华民国总统。", against=WORDS) == [(4, 10, "中华民国总统", "台湾地区领导人")]


def test_a_shorter_word_inside_a_longer_match_is_not_reported_twice():
    assert found("中华民国总统", Rule.FORBIDDEN, against=WORDS) == [(0, 6, "中华民国总统", "台湾地区领导人")]


def test_the_right_form_of_a_standard_expression_is_never_flagged():
    assert found("我国朝鲜族同胞，实现“两个一百年”奋斗目标。", against=WORDS) == []
    assert found("鲜族同胞和两个一百年", against=WORDS) == [
        (0, 2, "鲜族", "朝鲜族"),
        (5, 10, "两个一百年", "“两个一百年”"),
    ]


def test_an_allowed_phrase_hides_a_term_inside_it():
    assert found("农村长期发展离不开村长。", against=WORDS) == [(9, 11, "村长", "村主任")]


def test_summary_counts_severities_and_says_whether_submission_is_blocked():
    hits = check("台湾政府的老板", lexicon=WORDS)
    assert summarise(hits) == {"counts": {"info": 1, "warning": 0, "blocking": 1}, "total": 2, "blocking": True}
    assert has_blocking(hits)
    harmless = check("老板", lexicon=WORDS)
    assert summarise(harmless)["blocking"] is False
    assert not has_blocking(harmless)
    assert summarise([]) == {"counts": {"info": 0, "warning": 0, "blocking": 0}, "total": 0, "blocking": False}


def test_hits_serialise_to_plain_json_values():
    (hit,) = check("台湾政府", lexicon=WORDS)
    assert hit.as_dict() == {
        "start": 0,
        "end": 4,
        "text": "台湾政府",
        "rule": "forbidden",
        "message": str(hit.message),
        "suggestion": "台湾当局",
        "severity": "blocking",
        "note": "",
    }
