"""The demo loads twice without copies, and holds 2023 as the seed's baseline."""

import pytest

from rongmei.performance import demo as performance_demo
from rongmei.performance import metrics
from rongmei.performance.models import (
    Award,
    BudgetLine,
    ChannelStat,
    Expenditure,
    Indicator,
    IndicatorTemplate,
    Placement,
    Problem,
    Publication,
    TextBlock,
)

# The demo years, loaded once for the whole module.
pytestmark = pytest.mark.usefixtures("demo_years")

MODELS = [Award, BudgetLine, ChannelStat, Expenditure, Indicator, Placement, Problem, Publication, TextBlock]


def test_loading_twice_updates_instead_of_copying(demo):
    before = {model: model.objects.count() for model in MODELS}
    performance_demo.load()
    assert {model: model.objects.count() for model in MODELS} == before
    assert IndicatorTemplate.objects.filter(is_default=True).count() == 1  # shipped by the migration


def test_2023_is_consistent_with_the_seed_year_on_year_statements(demo):
    assert metrics.compute("wechat_reads", 2023).value == 3075880  # 479.4万 − 171.8万 ≈ 307.6万
    assert metrics.compute("wechat_followers", 2023).value == 426120 - 25220
    assert metrics.compute("placements", 2024).value == 5012
    assert metrics.compute("awards", 2024).value == 19
    assert metrics.compute("beijing_news", 2024).value == 19
