"""绩效管理 through the API: the fiscal years, every measure with how it was
computed and from which records, the indicators with their scores, and
(for 财务) recording a month's expenditure on a budget line."""

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from rongmei.core.apitools import Error, require
from rongmei.performance import actions, metrics, scoring
from rongmei.performance.models import BudgetLine, FiscalYear

router = Router(tags=["performance"])


class YearOut(Schema):
    year: int
    unit_name: str
    budget_total: str | None
    spent_total: str | None
    budget_execution_rate: str | None


class SourceOut(Schema):
    model: str
    rows: int
    description: str


class MeasureOut(Schema):
    key: str
    label: str
    value: str | None
    unit: str
    formula: str
    sources: list[SourceOut]


class IndicatorOut(Schema):
    id: int
    level: int
    parent: int | None
    name: str
    weight: str
    target: str | None
    unit: str
    direction: str
    rule: str
    metric: str
    actual: str | None
    completion: str | None
    score: str
    note: str


class ScorecardOut(Schema):
    year: int
    total: str
    grade: str
    indicators: list[IndicatorOut]


class ExpenditureIn(Schema):
    line: int = Field(description="the budget line's id")
    month: int = Field(ge=1, le=12)
    amount: Decimal = Field(description="万元")
    note: str = ""
    voucher: str = ""


class ExpenditureOut(Schema):
    id: int
    line: int
    month: int
    amount: str
    note: str
    voucher: str


def _str(value):
    return None if value is None else str(value)


@router.get("/performance/years", response=list[YearOut], summary="Fiscal years with their budget totals")
def list_years(request: HttpRequest):
    require(request, actions.VIEW)
    out = []
    with metrics.caching():
        for fiscal in FiscalYear.objects.all():
            out.append(
                {
                    "year": fiscal.year,
                    "unit_name": fiscal.unit_name,
                    **{
                        key: _str(metrics.compute(key, fiscal.year).value)
                        for key in ("budget_total", "spent_total", "budget_execution_rate")
                    },
                }
            )
    return out


@router.get(
    "/performance/years/{year}/measures",
    response={200: list[MeasureOut], 404: Error},
    summary="Every measure of a year, with its formula and the records it counts",
)
def list_measures(request: HttpRequest, year: int):
    require(request, actions.VIEW)
    fiscal = get_object_or_404(FiscalYear, year=year)
    with metrics.caching():
        return [
            {"key": key, "label": metric.label, **metrics.compute(key, fiscal.year).as_dict()}
            for key, metric in metrics.REGISTRY.items()
        ]


@router.get(
    "/performance/years/{year}/indicators",
    response={200: ScorecardOut, 404: Error},
    summary="The year's indicators with completion and score, and the total and grade",
)
def list_indicators(request: HttpRequest, year: int):
    require(request, actions.VIEW)
    fiscal = get_object_or_404(FiscalYear, year=year)
    card = scoring.scorecard(fiscal.year)
    rows = []
    for node in card.rows():
        indicator, result = node.indicator, node.result
        rows.append(
            {
                "id": indicator.pk,
                "level": indicator.level,
                "parent": indicator.parent_id,
                "name": indicator.name,
                "weight": str(indicator.weight),
                "target": _str(indicator.target),
                "unit": indicator.unit,
                "direction": indicator.direction,
                "rule": indicator.rule,
                "metric": indicator.metric,
                "actual": _str(result.actual) if result else None,
                "completion": _str(result.completion) if result else None,
                "score": str(node.score),
                "note": result.note if result else "",
            }
        )
    return {"year": fiscal.year, "total": str(card.total), "grade": card.grade, "indicators": rows}


@router.post(
    "/performance/years/{year}/expenditures",
    response={201: ExpenditureOut, 404: Error, 409: Error},
    summary="Record a month's expenditure on a budget line (万元; 财务)",
)
def record_expenditure(request: HttpRequest, year: int, payload: ExpenditureIn):
    require(request, actions.RECORD_EXPENDITURE)
    line = get_object_or_404(BudgetLine, pk=payload.line, year__year=year)
    try:
        row = actions.record_expenditure(
            request.user, line, month=payload.month, amount=payload.amount, note=payload.note, voucher=payload.voucher
        )
    except actions.PerformanceRefused as refused:
        return Status(409, {"detail": refused.message})
    return Status(
        201,
        {
            "id": row.pk,
            "line": line.pk,
            "month": row.month,
            "amount": str(row.amount),
            "note": row.note,
            "voucher": row.voucher,
        },
    )
