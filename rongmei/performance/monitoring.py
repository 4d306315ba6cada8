"""In-year monitoring (双监控): for a month, budget execution to date
against the expected curve (per budget line and overall), and target
progress to date per indicator against budget execution. Thresholds are
the fiscal year's (defaults: 25 % by April, 40 % by June, 60 % by
August, 80 % by October; a gap of more than 10 points)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from rongmei.performance import metrics
from rongmei.performance.models import BudgetLine, Expenditure, FiscalYear, Indicator
from rongmei.performance.scoring import q

ZERO, HUNDRED = Decimal(0), Decimal(100)


@dataclass
class LineRow:
    name: str
    kind: str
    available: Decimal
    spent: Decimal
    rate: Decimal | None
    warning: str = ""


@dataclass
class IndicatorRow:
    name: str
    target: Decimal
    unit: str
    actual: Decimal | None
    progress: Decimal | None
    gap: Decimal | None
    warning: str = ""


@dataclass
class Monitoring:
    year: int
    month: int
    expected: Decimal | None  # the execution expected by this month (None before the first checkpoint)
    available: Decimal
    spent: Decimal
    rate: Decimal | None
    gap_threshold: Decimal
    lines: list[LineRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    series: list[tuple[int, Decimal | None, Decimal | None]] = field(default_factory=list)  # month, rate, expected

    def chart(self, width: int = 480, height: int = 160) -> dict:
        """Coordinates for the inline SVG: a bar per month (cumulative execution)
        and the expected curve as a polyline."""
        top = max([HUNDRED, *(r for _m, r, _e in self.series if r is not None)])
        step = width / 12
        bars, points = [], []
        for month, rate, expected in self.series:
            x = (month - 1) * step
            if rate is not None:
                h = float(rate / top) * (height - 20)
                bars.append(
                    {"x": round(x + 4, 1), "y": round(height - 20 - h, 1), "w": round(step - 8, 1), "h": round(h, 1),
                     "label": f"{month}月 {q(rate)}%", "month": month, "current": month == self.month}
                )  # fmt: skip
            if expected is not None:
                points.append(
                    f"{round(x + step / 2, 1)},{round(height - 20 - float(expected / top) * (height - 20), 1)}"
                )
        labels = [{"x": round((m - 1) * step + step / 2, 1), "text": f"{m}"} for m in range(1, 13)]
        return {"width": width, "height": height, "bars": bars, "curve": " ".join(points), "labels": labels}


def expected_by(thresholds: dict[int, Decimal], month: int) -> Decimal | None:
    due = [value for checkpoint, value in thresholds.items() if checkpoint <= month]
    return due[-1] if due else None


def _rate(spent, available) -> Decimal | None:
    return spent / available * HUNDRED if available else None


def monitor(year: int, month: int) -> Monitoring:
    fiscal = FiscalYear.objects.get(year=year)
    thresholds = fiscal.monitoring_thresholds()
    expected = expected_by(thresholds, month)
    spent_by_line = dict(
        Expenditure.objects.filter(line__year=fiscal, month__lte=month)
        .values("line")
        .annotate(total=Sum("amount"))
        .values_list("line", "total")
    )
    result = Monitoring(year, month, expected, ZERO, ZERO, None, fiscal.gap_threshold)
    for line in BudgetLine.objects.filter(year=fiscal):
        spent = spent_by_line.get(line.pk) or ZERO
        rate = _rate(spent, line.available)
        row = LineRow(line.name, line.get_kind_display(), line.available, spent, None if rate is None else q(rate))
        if rate is None:
            row.warning = "无预算" + ("，但已有支出" if spent else "")
        elif rate > HUNDRED:
            row.warning = f"超支：执行率 {q(rate)}%"
        elif expected is not None and rate < expected:
            row.warning = f"执行进度 {q(rate)}% 低于{month}月应达到的 {expected}%"
        result.lines.append(row)
        result.available += line.available
        result.spent += spent
    rate = _rate(result.spent, result.available)
    result.rate = None if rate is None else q(rate)
    if result.rate is not None and expected is not None and result.rate < expected:
        result.warnings.append(f"预算执行率 {result.rate}% 低于{month}月应达到的 {expected}%。")
    for row in result.lines:
        if row.warning:
            result.warnings.append(f"{row.name}：{row.warning}。")

    monthly = dict(
        Expenditure.objects.filter(line__year=fiscal)
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    running = ZERO
    for m in range(1, 13):
        running += monthly.get(m) or ZERO
        cumulative = _rate(running, result.available) if m <= month else None
        result.series.append((m, cumulative, expected_by(thresholds, m)))

    indicators = Indicator.objects.filter(
        year=fiscal, level=3, source=Indicator.Source.METRIC, direction=Indicator.Direction.AT_LEAST, target__gt=0
    )
    with metrics.caching():
        for indicator in indicators:
            metric = metrics.REGISTRY.get(indicator.metric)
            if metric is None or metric.group != "output":
                continue
            figure = metrics.compute(indicator.metric, year, (1, month))
            actual = None if figure.value is None else Decimal(figure.value)
            progress = None if actual is None else q(actual / indicator.target * HUNDRED)
            gap = None if progress is None or result.rate is None else q(progress - result.rate)
            row = IndicatorRow(indicator.name, indicator.target, indicator.unit, actual, progress, gap)
            if gap is not None and abs(gap) > fiscal.gap_threshold:
                behind = "落后于" if gap < 0 else "超前于"
                row.warning = f"目标进度 {progress}% {behind}预算执行 {result.rate}%，相差 {abs(gap)} 个百分点"
                result.warnings.append(f"{indicator.name}：{row.warning}。")
            result.indicators.append(row)
    return result
