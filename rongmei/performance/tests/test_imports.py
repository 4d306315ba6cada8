"""Importing the finance system's expenditure export and the platforms'
back-office statistics: wrong columns, 元 where 万元 is expected, duplicates,
empty rows and bad dates each give a clear Chinese error; a dry run writes
nothing; a plan with an error writes nothing at all."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from rongmei.core import roles, tabular
from rongmei.core.models import AuditEntry
from rongmei.performance import imports
from rongmei.performance.actions import PerformanceRefused
from rongmei.performance.models import BudgetLine, ChannelStat, Expenditure

P, PRJ = BudgetLine.Kind.PERSONNEL, BudgetLine.Kind.PROJECT


@pytest.fixture
def fiscal(make_year):
    return make_year(lines=[("人员经费", P, 1600, 0, 0), ("政府网站运维", PRJ, 280, 0, 0)])


@pytest.fixture
def finance(make_user):
    return make_user("cashier", roles.FINANCE)


def csv(text: str) -> bytes:
    return text.strip().encode("gb18030")  # as Chinese Excel saves a CSV


def counts():
    return Expenditure.objects.count(), ChannelStat.objects.count(), AuditEntry.objects.count()


def test_a_good_export_is_previewed_then_written_with_one_audit_entry(fiscal, finance):
    data = csv("""
记账日期,科目名称,发生额（万元）,凭证号,摘要
2030-01-31,人员经费,132.5,记-001,1月工资
2030/2/29,政府网站运维,"1,020.00",记-017,运维费
""")
    before = counts()
    plan = imports.plan_expenditures(data, fiscal, source_name="finance.csv")
    assert counts() == before  # the dry run wrote nothing
    assert plan.ok and plan.errors == []
    assert plan.mapping == {"month": 0, "line": 1, "amount": 2, "voucher": 3, "note": 4}
    assert plan.preview == [
        ["2", "1月", "人员经费", "132.5", "记-001", "1月工资"],
        ["3", "2月", "政府网站运维", "1020", "记-017", "运维费"],
    ]
    assert imports.apply(finance, plan) == 2
    assert Expenditure.objects.filter(line__year=fiscal, source="import").count() == 2
    entry = AuditEntry.objects.get(action="performance.import.expenditures")
    assert entry.actor == finance and entry.data["rows"] == 2 and entry.data["file"] == "finance.csv"


def test_an_xlsx_export_in_yuan_is_converted(fiscal, finance):
    workbook = Workbook()
    workbook.active.append(["月份", "预算科目", "金额"])
    workbook.active.append(["2030-03", "人员经费", 1325000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = imports.plan_expenditures(buffer.getvalue(), fiscal, unit=imports.YUAN)
    assert plan.ok
    imports.apply(finance, plan)
    assert Expenditure.objects.get().amount == Decimal("132.5")


def test_yuan_where_wan_is_expected_is_refused_with_a_reason(fiscal, finance):
    before = counts()
    plan = imports.plan_expenditures(csv("月份,预算科目,金额\n2030-03,人员经费,1325000\n2030-03,人员经费,12"), fiscal)
    assert counts() == before
    assert [(e.row_number, e.column) for e in plan.errors] == [(2, "金额")]
    message = plan.errors[0].message
    assert "疑似按“元”填写" in message and "1600" in message and "选择“元”" in message
    with pytest.raises(PerformanceRefused, match="未导入任何数据"):
        imports.apply(finance, plan)
    assert counts() == before  # the good row was not written either


def test_wrong_columns(fiscal, finance):
    plan = imports.plan_expenditures(csv("名称,数量\n甲,1"), fiscal)
    assert not plan.ok and not plan.writes
    assert any("缺少必需的列“月份”" in str(e) for e in plan.errors)
    assert any("缺少必需的列“金额”" in str(e) for e in plan.errors)


def test_unknown_lines_other_years_and_bad_dates(fiscal, finance):
    plan = imports.plan_expenditures(
        csv("月份,预算科目,金额\n2030-13,人员经费,1\n2029-12,人员经费,1\n2030-04,差旅费,1\n2030-04, 人员经费 ,2"),
        fiscal,
    )
    errors = {(e.row_number, e.column): e.message for e in plan.errors}
    assert "不是有效的月份" in errors[(2, "月份")]
    assert "属于2029年" in errors[(3, "月份")]
    assert (
        "“差旅费”不是2030年的预算科目" in errors[(4, "预算科目")]
        and "人员经费、政府网站运维" in errors[(4, "预算科目")]
    )
    assert len(plan.writes) == 1  # the last row, its name trimmed


def test_duplicates_in_the_file_and_with_an_earlier_import(fiscal, finance):
    data = csv(
        "月份,预算科目,金额,凭证号\n2030-05,人员经费,3,记-9\n2030-05,人员经费,3,记-9\n,,,\n2030-06,人员经费,4,记-10"
    )
    plan = imports.plan_expenditures(data, fiscal)
    assert [str(e) for e in plan.errors] == ["第3行：与第2行重复（月份、预算科目、金额、凭证号、摘要相同）。"]
    assert plan.empty_rows == 1
    good = imports.plan_expenditures(csv("月份,预算科目,金额,凭证号\n2030-05,人员经费,3,记-9"), fiscal)
    imports.apply(finance, good)
    again = imports.plan_expenditures(csv("月份,预算科目,金额,凭证号\n2030-05,人员经费,3,记-9"), fiscal)
    assert ["已导入过" in e.message for e in again.errors] == [True]


def test_channel_statistics_with_the_platform_in_the_file_update_existing_months(fiscal, finance):
    ChannelStat.objects.create(platform="wechat_mp", account="北京西城", year=2030, month=1, posts=1, reads=5)
    data = csv("""
统计月份,平台,账号名称,发文数,阅读次数,累计关注人数,净增关注人数
2030年1月,微信公众号,北京西城,160,400000,401000,100
2030年2月,微信,北京西城,150,380000,401500,500
2030年2月,抖音,北京西城,80,,,
2030年3月,推特,北京西城,1,,,
2030年3月,抖音,北京西城,,,,
""")
    before = counts()
    plan = imports.plan_channel_stats(data, fiscal)
    assert counts() == before
    assert [(e.row_number, e.column) for e in plan.errors] == [(5, "平台"), (6, "")]
    assert "不是已知的平台" in plan.errors[0].message and "没有任何统计数字" in plan.errors[1].message
    assert plan.updates == 1 and [row[1] for row in plan.preview] == ["更新", "新增", "新增"]
    with pytest.raises(PerformanceRefused):
        imports.apply(finance, plan)
    assert ChannelStat.objects.get(month=1).posts == 1  # nothing written
    fixed = imports.plan_channel_stats(data.rsplit(b"\n", 2)[0], fiscal)
    assert fixed.ok
    imports.apply(finance, fixed)
    january = ChannelStat.objects.get(platform="wechat_mp", month=1)
    assert (january.posts, january.reads, january.followers, january.follower_growth) == (160, 400000, 401000, 100)
    assert ChannelStat.objects.get(platform="douyin", month=2).reads is None


def test_channel_statistics_for_one_chosen_account(fiscal, finance):
    plan = imports.plan_channel_stats(
        csv("日期,播放量,直播场次,直播观看\n2030-07,1000,2,300\n2030-07,1,1,1"),
        fiscal,
        platform="kuaishou",
        account="北京西城",
    )
    assert [str(e) for e in plan.errors] == ["第3行：与第2行重复（月份、语言相同）。"]
    with pytest.raises(PerformanceRefused, match="账号"):
        imports.plan_channel_stats(csv("日期,播放量\n2030-07,1"), fiscal, platform="kuaishou")


def test_unreadable_file(fiscal):
    with pytest.raises(tabular.TabularError, match=r"\.xls"):
        imports.plan_expenditures(b"\xd0\xcf\x11\xe0" + b"\x00" * 64, fiscal)
