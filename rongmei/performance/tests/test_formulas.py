"""The budget measures against hand-computed cases, edge cases included:
zero budget, over-spending, negative carry-over."""

from decimal import Decimal

import pytest

from rongmei.performance import metrics
from rongmei.performance.models import BudgetLine, FiscalYear

P, PUB, PRJ = BudgetLine.Kind.PERSONNEL, BudgetLine.Kind.PUBLIC, BudgetLine.Kind.PROJECT


def value(key, year=2030, months=metrics.ALL_MONTHS):
    return metrics.compute(key, year, months).value


def test_hand_computed_year(make_year):
    # budget: 100 + 50 + (200 + 20 adjustment + 30 carried over) = 400; spent 90 + 40 + 230 = 360
    make_year(
        lines=[("人员", P, 100, 0, 0), ("公用", PUB, 50, 0, 0), ("项目甲", PRJ, 200, 20, 30)],
        spent={"人员": [(1, 45), (7, 45)], "公用": [(3, 40)], "项目甲": [(6, 100), (12, 130)]},
    )
    assert value("budget_total") == Decimal(400)
    assert value("budget_basic") == Decimal(150)
    assert value("budget_project") == Decimal(250)
    assert value("spent_total") == Decimal(360)
    assert value("spent_basic") == Decimal(130)
    assert value("budget_execution_rate") == Decimal(90)  # 360 / 400
    assert value("carryover_balance") == Decimal(40)
    assert value("carryover_rate") == Decimal(10)  # 40 / 400
    assert value("adjustment_rate") == Decimal(20) / Decimal(350) * 100  # 20 / initial 350
    assert value("completion_rate") == Decimal(90)
    # 决算 not closed: the spending counts; |360 − initial 350| / 350
    assert value("difference_rate") == Decimal(10) / Decimal(350) * 100
    # first half of the year only
    assert value("spent_total", months=(1, 6)) == Decimal(185)  # 45 + 40 + 100
    figure = metrics.compute("budget_execution_rate", 2030)
    assert "360" in figure.formula and "400" in figure.formula
    assert {s.model for s in figure.sources} == {"performance.BudgetLine", "performance.Expenditure"}
    assert [s.rows for s in figure.sources] == [3, 5]


def test_final_accounts_and_the_configurable_denominator(make_year):
    fiscal = make_year(lines=[("项目甲", PRJ, 200, 50, 0)], spent={"项目甲": [(5, 240)]})
    BudgetLine.objects.filter(year=fiscal).update(final_amount=Decimal(245))
    assert value("final_total") == Decimal(245)
    assert value("difference_rate") == Decimal("22.5")  # |245 − 200| / 200
    fiscal.difference_denominator = FiscalYear.Denominator.ADJUSTED
    fiscal.save()
    assert value("difference_rate") == Decimal(2)  # |245 − 250| / 250


def test_zero_budget_says_no_budget_and_never_divides(make_year):
    make_year(lines=[("项目乙", PRJ, 0, 0, 0)], spent={"项目乙": [(2, 5)]})
    for key in ("budget_execution_rate", "carryover_rate", "difference_rate", "completion_rate", "adjustment_rate"):
        figure = metrics.compute(key, 2030)
        assert figure.value is None and figure.empty_text == "无预算", key
    empty = make_year(year=2031)
    assert metrics.compute("budget_execution_rate", empty.year).value is None
    assert metrics.compute("spent_total", empty.year).value == 0


def test_over_spending(make_year):
    make_year(lines=[("项目丙", PRJ, 100, 0, 0)], spent={"项目丙": [(11, 125)]})
    figure = metrics.compute("budget_execution_rate", 2030)
    assert figure.value == Decimal(125) and "超支" in figure.formula
    balance = metrics.compute("carryover_balance", 2030)
    assert balance.value == Decimal(-25) and "超支" in balance.formula
    assert value("carryover_rate") == Decimal(-25)


def test_negative_carry_over(make_year):
    # last year overspent by 20: this year's available money is 100 − 20 = 80
    make_year(lines=[("项目丁", PRJ, 100, 0, -20)], spent={"项目丁": [(4, 60)]})
    assert value("budget_total") == Decimal(80)
    assert value("budget_execution_rate") == Decimal(75)
    assert value("carryover_rate") == Decimal(25)


def test_year_on_year_change(demo):
    absolute, pct = metrics.yoy("wechat_reads", 2024)
    assert absolute.value == 4793960 - 3075880
    assert pct.value == pytest.approx(Decimal(1718080) / Decimal(3075880) * 100)
    absolute, pct = metrics.yoy("weibo_posts", 2024)  # no Weibo in 2023: grows from 0
    assert absolute.value == 1012 and pct.value is None and pct.empty_text == "—"
