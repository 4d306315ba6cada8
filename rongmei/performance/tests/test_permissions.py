"""财务 keeps the budget, 主任 reads it, 记者 is refused: checked on the
server for every admin page, record list, action and API endpoint."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import APIToken

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.performance import actions
from rongmei.performance.models import BudgetLine, Expenditure, FiscalYear, IndicatorTemplate

# The demo years, loaded once for the whole module.
pytestmark = pytest.mark.usefixtures("demo_years")

PAGES = [
    ("performance:overview", []),
    ("performance:year", [2024]),
    ("performance:monitoring", [2024]),
    ("performance:report", [2024]),
]


@pytest.fixture
def people(demo, make_user):
    return {
        "finance": make_user("cashier", roles.FINANCE),
        "director": make_user("boss", roles.DIRECTOR),
        "reporter": make_user("writer", roles.REPORTER),
    }


def refused(response) -> bool:
    """Wagtail answers a signed-in user's PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def test_pages_by_role(client, people):
    line = BudgetLine.objects.get(year__year=2024, name="人员经费")
    for who, allowed in (("finance", True), ("director", True), ("reporter", False)):
        client.force_login(people[who])
        for name, args in PAGES:
            response = client.get(reverse(name, args=args))
            assert response.status_code == 200 if allowed else refused(response), (who, name, response.status_code)
        index = client.get(reverse("performance_budgetline:index"))
        assert index.status_code == (200 if allowed else 302), (who, index.status_code)
        edit = client.get(reverse("performance_budgetline:edit", args=[line.pk]))
        assert edit.status_code == (200 if who == "finance" else 302), (who, edit.status_code)
        upload = client.get(reverse("performance:import", args=["expenditures"]))
        assert upload.status_code == 200 if who == "finance" else refused(upload), who


def test_report_preview_and_downloads(client, people):
    client.force_login(people["director"])
    page = client.get(reverse("performance:report", args=[2024])).content.decode()
    assert "预算执行率为100%" in page and "图文消息1955篇" in page
    docx = client.get(reverse("performance:report_download", args=[2024, "docx"]))
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
    md = client.get(reverse("performance:report_download", args=[2024, "md"]))
    assert "自评得分为100分" in md.content.decode()
    assert client.get(reverse("performance:report_download", args=[2024, "exe"])).status_code == 404


def test_finance_edits_a_budget_line_through_the_admin_and_it_is_audited(client, people):
    line = BudgetLine.objects.get(year__year=2024, name="公用经费")
    form = {
        "year": line.year_id, "kind": line.kind, "name": line.name, "code": "302", "initial": "400",
        "adjustment": "-7.22", "carry_over": "0", "final_amount": "392.78", "order": "1",
    }  # fmt: skip
    client.force_login(people["director"])
    assert client.post(reverse("performance_budgetline:edit", args=[line.pk]), form).status_code == 302
    line.refresh_from_db()
    assert line.code == ""  # the director's post changed nothing
    client.force_login(people["finance"])
    response = client.post(reverse("performance_budgetline:edit", args=[line.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert (line.code, line.initial, line.adjustment) == ("302", Decimal(400), Decimal("-7.22"))
    entry = AuditEntry.objects.filter(action="performance.budgetline.change").get()
    assert entry.actor == people["finance"]


def test_the_import_wizard_previews_then_writes(client, people, tmp_path):
    client.force_login(people["finance"])
    upload = tmp_path / "export.csv"
    upload.write_bytes("记账日期,科目名称,发生额,凭证号\n2024-12-31,公用经费,1.5,记-900\n".encode("gb18030"))
    with upload.open("rb") as handle:
        response = client.post(
            reverse("performance:import", args=["expenditures"]), {"year": 2024, "unit": "万元", "file": handle}
        )
    assert response.status_code == 302
    mapping_page = client.get(response["Location"])
    assert mapping_page.status_code == 200 and "科目名称" in mapping_page.content.decode()
    before = Expenditure.objects.count()
    mapping = {"map-month": "0", "map-line": "1", "map-amount": "2", "map-voucher": "3", "map-note": ""}
    preview = client.post(response["Location"], mapping)
    assert "data-import-preview" in preview.content.decode() and "记-900" in preview.content.decode()
    assert Expenditure.objects.count() == before
    done = client.post(response["Location"], {**mapping, "confirm": "1"})
    assert done.status_code == 302
    assert Expenditure.objects.count() == before + 1


def test_actions_check_the_permission_themselves(people):
    fiscal = FiscalYear.objects.get(year=2024)
    line = fiscal.budget_lines.first()
    for who in ("director", "reporter"):
        with pytest.raises(PermissionDenied):
            actions.record_expenditure(people[who], line, month=1, amount=1)
        with pytest.raises(PermissionDenied):
            actions.create_year(people[who], 2025)
    fiscal_2025 = actions.create_year(people["finance"], 2025, template=IndicatorTemplate.objects.get(is_default=True))
    assert fiscal_2025.unit_name == fiscal.unit_name
    assert fiscal_2025.text_blocks.count() == fiscal.text_blocks.count()
    assert fiscal_2025.indicators.filter(level=3).count() == 11
    with pytest.raises(actions.PerformanceRefused):
        actions.copy_template(people["finance"], IndicatorTemplate.objects.get(is_default=True), fiscal_2025)
    assert AuditEntry.objects.filter(action="performance.indicators.copy_template").count() == 1


def bearer(user):
    _, token = APIToken.create_token(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api(client, people):
    reporter = bearer(people["reporter"])
    assert client.get("/api/v1/performance/years", **reporter).status_code == 403
    director = bearer(people["director"])
    years = client.get("/api/v1/performance/years", **director).json()
    assert [y["year"] for y in years] == [2024, 2023]
    assert years[0]["budget_total"].startswith("3709.81")
    measures = {m["key"]: m for m in client.get("/api/v1/performance/years/2024/measures", **director).json()}
    assert measures["wechat_posts"]["value"] == "1955"
    assert measures["wechat_posts"]["sources"][0]["model"] == "performance.ChannelStat"
    card = client.get("/api/v1/performance/years/2024/indicators", **director).json()
    assert (card["total"], card["grade"]) == ("100.00", "优")
    line = BudgetLine.objects.get(year__year=2024, name="公用经费")
    body = json.dumps({"line": line.pk, "month": 12, "amount": "2.5", "note": "补录"})
    assert client.post("/api/v1/performance/years/2024/expenditures", body, content_type="application/json",
                       **director).status_code == 403  # fmt: skip
    finance = bearer(people["finance"])
    response = client.post(
        "/api/v1/performance/years/2024/expenditures", body, content_type="application/json", **finance
    )
    assert response.status_code == 201 and response.json()["amount"].startswith("2.5")
    bad = json.dumps({"line": line.pk, "month": 13, "amount": "1"})
    assert (
        client.post(
            "/api/v1/performance/years/2024/expenditures", bad, content_type="application/json", **finance
        ).status_code
        == 422
    )
    assert client.get("/api/v1/performance/years/1999/measures", **director).status_code == 404


def test_dashboard_panel(client, people):
    client.force_login(people["director"])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-monitoring-chart" in page
    client.force_login(people["reporter"])
    assert "data-monitoring-chart" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_endpoints_are_documented(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/performance/years", "/api/v1/performance/years/{year}/expenditures"} <= set(paths)
