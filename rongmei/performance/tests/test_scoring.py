"""Scoring by direction, by band and by qualitative grade; manual
adjustments; totals and grades."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rongmei.performance import scoring
from rongmei.performance.models import Indicator

D = Decimal


def leaf(**fields):
    defaults = {"level": 3, "name": "指标", "weight": D(10), "target": D(100)}
    return Indicator(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("direction", "actual", "score", "completion"),
    [
        (">=", 120, "10.00", "120.00"),
        (">=", 100, "10.00", "100.00"),
        (">=", 75, "7.50", "75.00"),
        (">=", 0, "0.00", "0.00"),
        ("<=", 80, "10.00", "100.00"),
        ("<=", 125, "8.00", "80.00"),  # 10 × 100 / 125
        ("=", 100, "10.00", "100.00"),
        ("=", 90, "9.00", "90.00"),  # 10 × (1 − 10/100)
        ("=", 300, "0.00", "0.00"),
    ],
)
def test_proportional_by_direction(direction, actual, score, completion):
    result = scoring.score_indicator(leaf(direction=direction), D(actual))
    assert (result.score, result.completion) == (D(score), D(completion))


def test_equal_within_tolerance_is_full_marks():
    indicator = leaf(direction="=", tolerance=D(5))
    assert scoring.score_indicator(indicator, D(104)).score == D(10)
    assert scoring.score_indicator(indicator, D(106)).score == D("9.40")


def test_banded_rules():
    # 预算调整率: 0 → full, ≤10% → 2/3, ≤20% → 1/3, else 0
    adjust = leaf(
        direction="<=", target=D(0), rule="banded", bands=[[0, 100], [10, "66.67"], [20, "33.33"]], weight=D(6)
    )
    assert [scoring.score_indicator(adjust, D(v)).score for v in (0, 5, 10, 15, 25)] == [
        D("6.00"), D("4.00"), D("4.00"), D("2.00"), D("0.00"),
    ]  # fmt: skip
    more = leaf(rule="banded", bands=[[100, 100], [90, 80], [80, 60]])
    assert [scoring.score_indicator(more, D(v)).score for v in (101, 95, 85, 50)] == [
        D("10.00"), D("8.00"), D("6.00"), D("0.00"),
    ]  # fmt: skip
    equal = leaf(direction="=", rule="banded", bands=[[2, 100], [5, 50]])
    assert [scoring.score_indicator(equal, D(v)).score for v in (98, 104, 110)] == [D("10.00"), D("5.00"), D("0.00")]


def test_qualitative_bands_and_their_checks():
    met = leaf(rule="qualitative", target=None, grade="met", grade_share=D(90), reason="按期完成")
    assert scoring.score_indicator(met, None).score == D("9.00")
    partly = leaf(rule="qualitative", target=None, grade="partly", grade_share=D(70), reason="部分延期")
    assert scoring.score_indicator(partly, None).score == D("7.00")
    ungraded = leaf(rule="qualitative", target=None)
    assert scoring.score_indicator(ungraded, None).score == 0
    outside = leaf(rule="qualitative", target=None, grade="partly", grade_share=D(85), reason="x")
    with pytest.raises(ValidationError) as raised:
        outside.clean()
    assert "grade_share" in raised.value.message_dict
    no_reason = leaf(rule="qualitative", target=None, grade="met", grade_share=D(90))
    with pytest.raises(ValidationError) as raised:
        no_reason.clean()
    assert "reason" in raised.value.message_dict


def test_manual_adjustment_needs_a_reason_and_stays_within_the_weight():
    far_ahead = leaf(adjustment=D(-2), adjustment_reason="目标设定偏低")
    assert scoring.score_indicator(far_ahead, D(300)).score == D("8.00")
    bonus = leaf(adjustment=D(5), adjustment_reason="x")
    assert scoring.score_indicator(bonus, D(100)).score == D("10.00")
    with pytest.raises(ValidationError):
        leaf(adjustment=D(1)).clean()


def test_missing_values_score_nothing():
    assert scoring.score_indicator(leaf(), None).note == "无数据"
    assert scoring.score_indicator(leaf(target=None), D(5)).note == "未设目标值"


@pytest.mark.parametrize(
    ("total", "grade"), [(100, "优"), (90, "优"), ("89.99", "良"), (80, "良"), (60, "中"), ("59.9", "差")]
)
def test_grades(total, grade):
    assert scoring.grade(D(total)) == grade


def test_demo_scorecard_totals_100(demo):
    card = scoring.scorecard(2024)
    assert card.total == D("100.00") and card.grade == "优" and card.weight == D(100)
    names = {node.indicator.name: node for node in card.leaves()}
    assert names["微信公众号发布篇数"].result.actual == D(1955)
    assert names["预算执行率"].result.actual == D(100)
    assert [root.indicator.name for root in card.roots] == ["预算执行", "产出", "效益", "预算管理"]
    assert [root.score for root in card.roots] == [D(10), D(50), D(40), D(0)]
