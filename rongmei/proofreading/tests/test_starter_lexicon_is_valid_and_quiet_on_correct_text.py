"""The starter lexicon holds valid, sourced entries, flags the wrong forms it
lists and leaves correct text alone."""

import pytest

from rongmei.proofreading.engine import Lexicon, Term, check
from rongmei.proofreading.models import Kind, Severity, entry_problem, normalise_term
from rongmei.proofreading.starter import STARTER_ENTRIES

STARTER = Lexicon(
    Term(kind, term, suggestion, severity, note) for kind, term, suggestion, severity, note, _ in STARTER_ENTRIES
)


def test_every_entry_is_valid_sourced_and_unique():
    keys = [(kind, term) for kind, term, *_ in STARTER_ENTRIES]
    assert len(keys) == len(set(keys))
    for kind, term, suggestion, severity, _note, source in STARTER_ENTRIES:
        assert kind in Kind.values and severity in Severity.values, term
        assert normalise_term(kind, term) == term
        assert entry_problem(kind, term, suggestion) is None, term
        assert source, term


@pytest.mark.parametrize(
    ("text", "rule", "suggestion"),
    [
        ("他是一名残废人", "forbidden", "残疾人"),
        ("台湾政府发言人表示", "forbidden", "台湾当局"),
        ("推进一带一路战略", "standard_expression", "“一带一路”倡议"),
        ("编制十四五规划", "standard_expression", "“十四五”规划"),
        ("全国人大委员长出席", "standard_expression", "全国人大常委会委员长"),
        ("北朝鲜宣布", "standard_expression", "朝鲜"),
        ("村长带领村民", "standard_expression", "村主任"),
        ("李强、习近平出席", "leader_order", "习近平、李强"),
    ],
)
def test_listed_wrong_forms_are_flagged(text, rule, suggestion):
    assert [(hit.rule, hit.suggestion) for hit in check(text, lexicon=STARTER)] == [(rule, suggestion)]


def test_correct_text_is_not_flagged():
    text = (
        "习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希出席会议。"
        "我国朝鲜族、蒙古族、维吾尔族同胞共建“一带一路”倡议，落实“十四五”规划。"
        "农村长期发展离不开大学生村官，山村长大的孩子回到家乡。"
        "全国人大常委会委员长会见世界贸易组织成员代表。"
    )
    assert check(text, lexicon=STARTER) == []
