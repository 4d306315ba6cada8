"""Fixtures of the performance tests: the demo years (the seed report's
2024 and its 2023 baseline) and one user per role."""

import pytest

from rongmei.conftest import kept_for_module
from rongmei.core.audit import audit_context
from rongmei.performance import demo as performance_demo


@pytest.fixture(scope="module")
def demo_years(django_db_setup, django_db_blocker):
    """The demo years loaded once for a module whose tests all read them
    (``pytestmark = pytest.mark.usefixtures("demo_years")``): ``demo`` then
    costs nothing (see ``kept_for_module``)."""
    with kept_for_module(django_db_blocker):
        with audit_context():
            performance_demo.load()
        yield 2024


@pytest.fixture
def demo(request, db):
    """The demo years: 2024, the year of the seed report."""
    if "demo_years" in request.fixturenames:
        return request.getfixturevalue("demo_years")
    with audit_context():
        performance_demo.load()
    return 2024


@pytest.fixture
def make_year(db):
    """A fiscal year with budget lines: ``lines`` as (name, kind, initial,
    adjustment, carry_over) in 万元, and their spending as {name: [(month, amount)]}."""
    from decimal import Decimal

    from rongmei.performance.models import BudgetLine, Expenditure, FiscalYear

    def make(year=2030, lines=(), spent=None, **fields):
        fiscal = FiscalYear.objects.create(year=year, unit_name="测试融媒体中心", **fields)
        for order, (name, kind, initial, adjustment, carry) in enumerate(lines):
            line = BudgetLine.objects.create(
                year=fiscal,
                name=name,
                kind=kind,
                order=order,
                initial=Decimal(str(initial)),
                adjustment=Decimal(str(adjustment)),
                carry_over=Decimal(str(carry)),
            )
            for month, amount in (spent or {}).get(name, []):
                Expenditure.objects.create(line=line, month=month, amount=Decimal(str(amount)))
        return fiscal

    return make
