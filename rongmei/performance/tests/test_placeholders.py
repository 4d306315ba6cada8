"""Placeholders of the text blocks: filters that write figures as the seed
does, and clear errors for unknown names and filters."""

from decimal import Decimal

import pytest

from rongmei.performance import actions, placeholders, report
from rongmei.performance.metrics import Figure
from rongmei.performance.models import FiscalYear, TextBlock


def render(text, **values):
    return placeholders.render(text, values)


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("{x|余:1000}", 5012, "5000余"),
        ("{x|余:1000}", 5000, "5000"),
        ("{x|余:100}", 312, "300余"),
        ("{x|近:10}", 19, "近20"),
        ("{x|近:10}", 20, "20"),
        ("{x|万:1}", 4793960, "479.4"),
        ("{x|万:2}", 25220, "2.52"),
        ("{x|万:1}", 2839700, "284"),
        ("{x|万:0}", 52176400, "5218"),
        ("{x|万:1|余:100}", 4793960, "400余"),
        ("{x|dp:2}", Decimal("3709.810000"), "3709.81"),
        ("{x|int}", Decimal("99.6"), "100"),
        ("{x}", Decimal("100.000000"), "100"),
        ("{x}", Decimal("12.345"), "12.35"),
        ("{x}", Decimal(0), "0"),
    ],
)
def test_filters(text, value, expected):
    assert render(text, x=value) == expected


def test_text_values_braces_and_missing_values():
    assert render("{{年}}{name}", name="西城") == "{年}西城"
    assert render("执行率为{rate}%。", rate=Figure(None, empty_text="无预算")) == "执行率为无预算。"


def test_unknown_placeholder_lists_the_valid_names():
    with pytest.raises(placeholders.PlaceholderError) as raised:
        render("共{wechat_post}篇", wechat_posts=1, year=2024)
    assert "{wechat_post}" in raised.value.message and "wechat_posts" in raised.value.message
    with pytest.raises(placeholders.PlaceholderError, match="过滤器“约”不存在"):
        render("{x|约:10}", x=1)
    with pytest.raises(placeholders.PlaceholderError, match="格式不正确"):
        render("{微信}", x=1)


def test_saving_a_text_block_with_a_typo_is_refused(demo, make_user):
    from rongmei.core import roles

    finance = make_user("cashier", roles.FINANCE)
    block = TextBlock.objects.get(year__year=2024, key="carryover")
    with pytest.raises(actions.PerformanceRefused, match="carryover_rate"):
        actions.save(finance, block, fields={"text": "结转结余率为{carry_over_rate}%"})
    block.refresh_from_db()
    assert "{carryover_rate}" in block.text


def test_a_bad_stored_block_names_its_section(demo):
    TextBlock.objects.filter(year__year=2024, key="assets").update(text="{no_such_figure}")
    with pytest.raises(placeholders.PlaceholderError, match="资产管理"):
        report.build(2024)


def test_every_placeholder_name_renders(demo):
    names = report.placeholder_names()
    fiscal = FiscalYear.objects.get(year=2024)
    figures = report.Figures(fiscal)
    text = "".join("{" + name + "}" for name in names)
    assert placeholders.render(text, figures)
