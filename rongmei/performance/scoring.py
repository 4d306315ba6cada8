"""Scoring the indicators (rules in docs/performance.md):

- **proportional**: ≥ full marks when the target is met, else weight ×
  actual / target; ≤ full marks at or under the target, else weight ×
  target / actual; = full marks within the tolerance (% of the target),
  else weight × (1 − deviation / target), never below 0.
- **banded**: ``bands`` = [[bound, share %], …] in order; the first bound
  the actual value reaches in the indicator's direction (≥ bound, ≤
  bound, or |actual − target| ≤ bound for =) gives its share of the weight;
  none reached, 0.
- **qualitative**: the evaluator's grade (达成 100–80 %, 部分达成 80–60 %,
  未达成 60–0 % of the weight) and the share chosen within it.

A manual adjustment (with its reason) is added last; a score stays within
0 and the weight. The total is the sum of the third-level scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rongmei.performance import metrics
from rongmei.performance.models import Indicator

ZERO, HUNDRED = Decimal(0), Decimal(100)
CENT = Decimal("0.01")
GRADES = [(Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差")]


def q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Score:
    actual: Decimal | None
    completion: Decimal | None  # %
    score: Decimal
    note: str = ""
    figure: metrics.Figure | None = None


@dataclass
class Node:
    indicator: Indicator
    score: Decimal = ZERO
    result: Score | None = None  # third level only
    children: list[Node] = field(default_factory=list)


@dataclass
class Scorecard:
    roots: list[Node]
    total: Decimal
    grade: str
    weight: Decimal

    def leaves(self) -> list[Node]:
        out = []

        def walk(node):
            if node.indicator.level == 3:
                out.append(node)
            for child in node.children:
                walk(child)

        for root in self.roots:
            walk(root)
        return out

    def rows(self) -> list[Node]:
        out = []

        def walk(node):
            out.append(node)
            for child in node.children:
                walk(child)

        for root in self.roots:
            walk(root)
        return out


def grade(total: Decimal) -> str:
    return next(name for bound, name in GRADES if total >= bound)


def completion(direction: str, actual: Decimal, target: Decimal | None) -> Decimal | None:
    if target is None:
        return None
    if direction == Indicator.Direction.AT_LEAST:
        return HUNDRED if not target else actual / target * HUNDRED
    if direction == Indicator.Direction.AT_MOST:
        return HUNDRED if actual <= target or not actual else target / actual * HUNDRED
    if not target:
        return HUNDRED if not actual else ZERO
    return max(ZERO, HUNDRED - abs(actual - target) / abs(target) * HUNDRED)


def _proportional(indicator: Indicator, actual: Decimal) -> tuple[Decimal, str]:
    weight, target = indicator.weight, indicator.target
    if indicator.direction == Indicator.Direction.EQUAL:
        allowed = abs(target) * indicator.tolerance / HUNDRED
        deviation = abs(actual - target)
        if deviation <= allowed:
            return weight, "在容差范围内"
        share = max(ZERO, 1 - deviation / abs(target)) if target else ZERO
        return weight * share, f"偏差 {deviation}"
    ratio = completion(indicator.direction, actual, target) / HUNDRED
    return weight * min(Decimal(1), ratio), "达到目标" if ratio >= 1 else "未达到目标，按比例计分"


def _banded(indicator: Indicator, actual: Decimal) -> tuple[Decimal, str]:
    for bound, share in indicator.bands or []:
        bound, share = Decimal(str(bound)), Decimal(str(share))
        if indicator.direction == Indicator.Direction.AT_LEAST:
            reached = actual >= bound
        elif indicator.direction == Indicator.Direction.AT_MOST:
            reached = actual <= bound
        else:
            reached = abs(actual - (indicator.target or ZERO)) <= bound
        if reached:
            return indicator.weight * share / HUNDRED, f"落在 {indicator.direction}{bound} 档，得权重的 {share}%"
    return ZERO, "未达到任何一档"


def actual_value(
    indicator: Indicator, year: int, months=metrics.ALL_MONTHS
) -> tuple[Decimal | None, metrics.Figure | None]:
    if indicator.source == Indicator.Source.METRIC and indicator.metric in metrics.REGISTRY:
        figure = metrics.compute(indicator.metric, year, months)
        return (None if figure.value is None else Decimal(figure.value)), figure
    return indicator.manual_value, None


def score_indicator(indicator: Indicator, actual: Decimal | None, figure=None) -> Score:
    weight = indicator.weight
    if indicator.rule == Indicator.Rule.QUALITATIVE:
        if not indicator.grade or indicator.grade_share is None:
            raw, note, done = ZERO, "尚未评定", None
        else:
            raw = weight * indicator.grade_share / HUNDRED
            note, done = f"{indicator.get_grade_display()}：{indicator.reason}".strip("："), indicator.grade_share
    elif actual is None:
        raw, note, done = ZERO, "无数据", None
    elif indicator.target is None:
        raw, note, done = ZERO, "未设目标值", None
    else:
        done = completion(indicator.direction, actual, indicator.target)
        raw, note = (
            _banded(indicator, actual) if indicator.rule == Indicator.Rule.BANDED else _proportional(indicator, actual)
        )
    if indicator.adjustment:
        raw += indicator.adjustment
        note += f"；人工调整 {indicator.adjustment:+} 分：{indicator.adjustment_reason}"
    final = min(max(raw, ZERO), weight)
    return Score(actual, None if done is None else q(done), q(final), note, figure)


def scorecard(year: int, months=metrics.ALL_MONTHS) -> Scorecard:
    """The year's indicator tree with each third-level score and the sums."""
    indicators = list(Indicator.objects.filter(year__year=year).order_by("level", "order", "pk"))
    nodes = {indicator.pk: Node(indicator) for indicator in indicators}
    roots = []
    for indicator in indicators:
        node = nodes[indicator.pk]
        parent = nodes.get(indicator.parent_id)
        (parent.children if parent else roots).append(node)

    def total(node: Node) -> Decimal:
        if node.indicator.level == 3 or not node.children:
            if node.indicator.level == 3:
                actual, figure = actual_value(node.indicator, year, months)
                node.result = score_indicator(node.indicator, actual, figure)
                node.score = node.result.score
            return node.score
        node.score = sum((total(child) for child in node.children), ZERO)
        return node.score

    overall = q(sum((total(root) for root in roots), ZERO))
    weight = sum((i.weight for i in indicators if i.level == 3), ZERO)
    return Scorecard(roots, overall, grade(overall), weight)
