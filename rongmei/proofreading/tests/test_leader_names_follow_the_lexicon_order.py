"""Names of an order of leaders listed together must follow the lexicon's
order; names that only meet in a sentence are not a list."""

from rongmei.proofreading.engine import check
from rongmei.proofreading.models import Rule

from .conftest import found, lexicon

LEADERS = lexicon(("leader_order", "习近平、李强、赵乐际、王沪宁", "", "blocking"))


def test_names_listed_out_of_order_are_flagged_with_the_right_order():
    assert found("李强、习近平、王沪宁出席会议。", Rule.LEADER_ORDER, against=LEADERS) == [
        (0, 10, "李强、习近平、王沪宁", "习近平、李强、王沪宁")
    ]


def test_a_list_with_titles_and_conjunctions_is_still_a_list():
    text = "国务院总理李强、国家主席习近平和王沪宁出席。"
    assert found(text, Rule.LEADER_ORDER, against=LEADERS) == [
        (5, 19, "李强、国家主席习近平和王沪宁", "习近平、李强、王沪宁")
    ]


def test_names_in_order_or_not_in_a_list_are_fine():
    assert found("习近平、李强、赵乐际、王沪宁出席。", Rule.LEADER_ORDER, against=LEADERS) == []
    assert found("李强在会上传达了习近平总书记的重要指示。", Rule.LEADER_ORDER, against=LEADERS) == []
    assert found("李强说，习近平总书记强调……", Rule.LEADER_ORDER, against=LEADERS) == []


def test_the_hit_carries_the_severity_of_the_entry():
    lexicon_with_warning = lexicon(("leader_order", "张三、李四", "", "warning"))
    (hit,) = check("李四、张三", lexicon=lexicon_with_warning)
    assert (hit.rule, hit.severity) == (Rule.LEADER_ORDER, "warning")
