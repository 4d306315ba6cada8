"""双监控: execution against the expected curve per budget line and overall,
target progress against execution, configurable thresholds."""

from decimal import Decimal

from rongmei.performance import monitoring
from rongmei.performance.models import BudgetLine, FiscalYear, Indicator

PRJ = BudgetLine.Kind.PROJECT


def test_lagging_execution_and_diverging_progress_warn(make_year):
    fiscal = make_year(
        lines=[("项目甲", PRJ, 100, 0, 0), ("项目乙", PRJ, 100, 0, 0), ("项目丙", PRJ, 0, 0, 0)],
        spent={"项目甲": [(1, 10), (3, 10)], "项目乙": [(2, 30), (4, 20)], "项目丙": [(4, 1)]},
    )
    Indicator.objects.create(
        year=fiscal,
        level=3,
        name="报纸出版期数",
        weight=10,
        target=Decimal(50),
        source="metric",
        metric="newspaper_issues",
    )
    result = monitoring.monitor(2030, 4)
    assert result.expected == Decimal(25)
    assert result.rate == Decimal("35.50")  # 71 / 200
    lines = {row.name: row for row in result.lines}
    assert lines["项目甲"].rate == Decimal("20.00") and "低于4月应达到的 25%" in lines["项目甲"].warning
    assert lines["项目乙"].rate == Decimal("50.00") and not lines["项目乙"].warning
    assert lines["项目丙"].warning == "无预算，但已有支出"
    (indicator,) = result.indicators
    assert indicator.progress == Decimal("0.00") and indicator.gap == Decimal("-35.50")
    assert any("报纸出版期数" in w and "落后于" in w for w in result.warnings)
    assert [rate for _m, rate, _e in result.series][:5] == [Decimal(5), Decimal(20), Decimal(25), Decimal("35.5"), None]
    chart = result.chart()
    assert len(chart["bars"]) == 4 and chart["curve"]

    # before April nothing is expected yet; thresholds are the year's own
    assert monitoring.monitor(2030, 3).expected is None
    fiscal.thresholds = {"3": 30}
    fiscal.gap_threshold = Decimal(50)
    fiscal.save()
    result = monitoring.monitor(2030, 3)
    assert result.expected == Decimal(30) and not result.indicators[0].warning


def test_demo_year_is_on_track_in_december(demo):
    result = monitoring.monitor(2024, 12)
    assert result.rate == Decimal("100.00")
    assert not [w for w in result.warnings if "预算执行率" in w]
    assert FiscalYear.objects.get(year=2024).monitoring_thresholds() == {4: 25, 6: 40, 8: 60, 10: 80}
