"""The record lists of 绩效管理 open for 财务 (list, add form) and save
through the actions; open problems of earlier years carry into the report."""

import datetime as dt

import pytest
from django.urls import reverse

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.performance import report
from rongmei.performance.models import FiscalYear, Problem, TextBlock
from rongmei.performance.wagtail_hooks import VIEWSETS


@pytest.fixture
def finance(demo, make_user):
    return make_user("cashier", roles.FINANCE)


def test_every_record_list_and_form_opens(client, finance):
    client.force_login(finance)
    for viewset in VIEWSETS:
        for name in ("index", "add"):
            response = client.get(reverse(viewset.get_url_name(name)))
            assert response.status_code == 200, (viewset.name, name, response.status_code)
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("performance:overview") in menu


def test_a_text_block_with_an_unknown_placeholder_is_not_saved(client, finance):
    block = TextBlock.objects.get(year__year=2024, key="assets")
    client.force_login(finance)
    url = reverse("performance_textblock:edit", args=[block.pk])
    response = client.post(url, {"year": block.year_id, "key": "assets", "text": "总额{fixed_asset_total}万元"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "{fixed_asset_total}" in page and "fixed_assets_total" in page
    block.refresh_from_db()
    assert "{fixed_assets_total|dp:2}" in block.text
    response = client.post(
        url, {"year": block.year_id, "key": "assets", "text": "固定资产{fixed_assets_total|dp:1}万元"}
    )
    assert response.status_code == 302
    assert "固定资产1221.7万元" in report.build(2024).text()
    assert AuditEntry.objects.filter(action="performance.textblock.change").count() == 1


def test_open_problems_carry_into_the_next_years_report(demo):
    fiscal_2023 = FiscalYear.objects.get(year=2023)
    Problem.objects.create(
        year=fiscal_2023, problem="部分栏目更新不及时。", measures="建立栏目更新台账。", owner="网站组",
        due_date=dt.date(2025, 3, 31), status=Problem.Status.OPEN,
    )  # fmt: skip
    text = report.build(2024).text()
    assert "（2023年遗留，未整改）部分栏目更新不及时。" in text
    assert "整改措施：建立栏目更新台账；责任人：网站组；完成时限：2025年3月31日。" in text
    assert "部分项目支出进度前慢后快" not in text  # closed in 2023: not carried
    Problem.objects.filter(problem="部分栏目更新不及时。").update(status=Problem.Status.CLOSED)
    assert "部分栏目更新不及时" not in report.build(2024).text()


def test_an_indicator_is_bound_to_a_metric_of_the_registry(client, finance):
    from rongmei.performance.models import FiscalYear, Indicator

    client.force_login(finance)
    page = client.get(reverse("performance_indicator:add")).content.decode()
    assert 'value="wechat_posts"' in page and "微信公众号发布篇数" in page
    parent = Indicator.objects.get(year__year=2024, level=2, name="数量")
    form = {
        "year": FiscalYear.objects.get(year=2024).pk, "template": "", "parent": parent.pk, "level": 3,
        "name": "微博发布条数", "order": 9, "weight": "0", "target": "1000", "unit": "条", "direction": ">=",
        "tolerance": "0", "rule": "proportional", "bands": "[]", "source": "metric", "metric": "weibo_posts",
        "manual_value": "", "grade": "", "grade_share": "", "reason": "", "adjustment": "0", "adjustment_reason": "",
    }  # fmt: skip
    response = client.post(reverse("performance_indicator:add"), form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    table = report.build(2024).blocks[-1]
    assert ["　　微博发布条数", "0", "≥1000条", "1012条", "0"] in table.rows
    bad = client.post(reverse("performance_indicator:add"), {**form, "name": "x", "metric": "no_such_metric"})
    assert bad.status_code == 200 and not Indicator.objects.filter(name="x").exists()
