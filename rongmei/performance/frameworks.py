"""Indicator systems as data: the national reference framework shipped as
the default template, and the helper that writes a tree (used by the data
migration that ships it, by copying a template into a year, and by the
demo).

A tree is a list of ``(name, children)`` for the first and second levels
and ``(name, fields)`` for the third, where ``fields`` are Indicator
fields (weight, target, unit, direction, rule, bands, source, metric …).
"""

from __future__ import annotations

from decimal import Decimal

DEFAULT_TEMPLATE_NAME = "国家参考框架（财预〔2020〕10号）"
DEFAULT_TEMPLATE_DESCRIPTION = (
    "财预〔2020〕10号《项目支出绩效评价管理办法》共性指标框架，单位自评常用分值：预算执行率10分、产出50分、"
    "效益30分、服务对象满意度10分（满意度列在效益之下）；预算管理按财预〔2013〕53号列出，默认不计分，"
    "地方计分时从其他指标调出分值。复制到年度后按本单位实际修改指标名称、目标值和分值。"
)


def _q(**fields):
    return {"rule": "qualitative", "source": "manual", **fields}


NATIONAL_FRAMEWORK = [
    (
        "预算执行",
        [
            (
                "预算执行",
                [
                    (
                        "预算执行率",
                        {
                            "weight": 10,
                            "target": 100,
                            "unit": "%",
                            "source": "metric",
                            "metric": "budget_execution_rate",
                        },
                    )
                ],
            )
        ],
    ),
    (
        "产出",
        [
            ("数量", [("实际完成率", {"weight": 20, "target": 100, "unit": "%"})]),
            ("质量", [("质量达标率", {"weight": 10, "target": 100, "unit": "%"})]),
            ("时效", [("完成及时性", _q(weight=10))]),
            ("成本", [("成本节约率", {"weight": 10, "target": 0, "unit": "%"})]),
        ],
    ),
    (
        "效益",
        [
            ("社会效益", [("社会效益", _q(weight=20))]),
            ("可持续影响", [("可持续影响", _q(weight=10))]),
            ("服务对象满意度", [("服务对象满意度", {"weight": 10, "target": 90, "unit": "%"})]),
        ],
    ),
    (
        "预算管理",
        [
            ("财务管理", [("资金使用合规性", _q(weight=0))]),
            ("资产管理", [("资产管理安全性", _q(weight=0))]),
            ("绩效管理", [("绩效管理制度健全性", _q(weight=0))]),
        ],
    ),
]

INDICATOR_FIELDS = (
    "weight",
    "target",
    "unit",
    "direction",
    "tolerance",
    "rule",
    "bands",
    "source",
    "metric",
    "manual_value",
    "grade",
    "grade_share",
    "reason",
    "adjustment",
    "adjustment_reason",
)


def write_tree(Indicator, tree, *, template=None, year=None) -> int:
    """Create or update the tree's indicators under ``template`` or ``year``
    (matched by parent and name, so writing twice updates). Upper levels
    get the sum of their children's weights. Returns the number written."""
    owner = {"template": template, "year": year}
    count = 0

    def write(level, parent, name, fields):
        nonlocal count
        count += 1
        indicator, _ = Indicator.objects.update_or_create(
            **owner, parent=parent, level=level, name=name, defaults=fields
        )
        return indicator

    for order1, (name1, level2) in enumerate(tree):
        weight1 = sum(Decimal(str(f.get("weight", 0))) for _n2, leaves in level2 for _n3, f in leaves)
        top = write(1, None, name1, {"order": order1, "weight": weight1})
        for order2, (name2, leaves) in enumerate(level2):
            weight2 = sum(Decimal(str(f.get("weight", 0))) for _n3, f in leaves)
            middle = write(2, top, name2, {"order": order2, "weight": weight2})
            for order3, (name3, fields) in enumerate(leaves):
                write(3, middle, name3, {"order": order3, **fields})
    return count


def tree_of(indicators) -> list:
    """A saved tree (indicators of one template or year) as the nested list
    :func:`write_tree` takes, for copying."""
    by_parent: dict = {}
    for indicator in sorted(indicators, key=lambda i: (i.level, i.order, i.pk)):
        by_parent.setdefault(indicator.parent_id, []).append(indicator)

    def fields(indicator):
        return {field: getattr(indicator, field) for field in INDICATOR_FIELDS}

    return [
        (
            top.name,
            [
                (middle.name, [(leaf.name, fields(leaf)) for leaf in by_parent.get(middle.pk, [])])
                for middle in by_parent.get(top.pk, [])
            ],
        )
        for top in by_parent.get(None, [])
    ]


def ship_default_template(apps, schema_editor=None):
    """Data migration: the national framework as the default template."""
    Template = apps.get_model("performance", "IndicatorTemplate")
    Indicator = apps.get_model("performance", "Indicator")
    template, _ = Template.objects.update_or_create(
        name=DEFAULT_TEMPLATE_NAME, defaults={"description": DEFAULT_TEMPLATE_DESCRIPTION, "is_default": True}
    )
    write_tree(Indicator, NATIONAL_FRAMEWORK, template=template)
