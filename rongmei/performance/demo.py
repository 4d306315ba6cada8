"""Demo data of performance management: the seed report's 2024 (every figure
of /work/shared/seed entered as data, never as text) and a plausible 2023
consistent with its year-on-year statements. The data hold exact numbers
(5012 placements, 19 awards …); the text blocks round them as the report
writes them ({placements|余:1000} → 5000余, {awards|近:10} → 近20).

Where one row per item would be absurd (5,000 placements) a row stands for
a month's batch (``quantity``); the daily TV programme is registered per
month (``issues``); the newspaper and the periodical per issue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rongmei.performance import frameworks, texts
from rongmei.performance.models import (
    Award,
    BudgetLine,
    ChannelStat,
    Expenditure,
    FiscalYear,
    Indicator,
    Placement,
    Platform,
    Problem,
    Publication,
    TextBlock,
)

# Two years of budget, metrics and texts take seconds, and the metrics count
# what the background modules make: rongmei up leaves it to the worker, after them.
IN_BACKGROUND = True
UNIT = "北京市西城区融媒体中心"
ACCOUNT = "北京西城"

# name, kind, 年初预算, 本年追加/调整, 上年结转 (万元)
BUDGET = {
    2024: [
        ("人员经费", BudgetLine.Kind.PERSONNEL, "1603.45", "0", "0"),
        ("公用经费", BudgetLine.Kind.PUBLIC, "392.78", "0", "0"),
        ("融媒体运维及内容生产", BudgetLine.Kind.PROJECT, "1020.36", "0", "0"),
        ("《北京西城报》编辑出版", BudgetLine.Kind.PROJECT, "413.22", "0", "0"),
        ("政府网站运维", BudgetLine.Kind.PROJECT, "280.00", "0", "0"),
    ],
    2023: [
        ("人员经费", BudgetLine.Kind.PERSONNEL, "1560.20", "0", "0"),
        ("公用经费", BudgetLine.Kind.PUBLIC, "380.50", "0", "0"),
        ("融媒体运维及内容生产", BudgetLine.Kind.PROJECT, "960.00", "35.00", "12.40"),
        ("《北京西城报》编辑出版", BudgetLine.Kind.PROJECT, "405.00", "0", "0"),
        ("政府网站运维", BudgetLine.Kind.PROJECT, "268.00", "0", "0"),
    ],
}
# Share of the year's spending by the end of each month (for 2023: 98.6 % in all).
SPEND_SHARE = {2024: Decimal(1), 2023: Decimal("0.986")}

FIXED_ASSETS = {2024: ("1221.72", dt.date(2024, 12, 20)), 2023: ("1187.35", dt.date(2023, 12, 18))}

# Channel figures per year: platform → (months, {field: yearly total}) and
# the followers at the end of the year.
CHANNELS = {
    2024: {
        Platform.WECHAT_MP: (range(1, 13), {"posts": 1955, "reads": 4793960, "follower_growth": 25220}, 426120),
        Platform.WEIBO: (range(6, 13), {"posts": 1012, "reads": 2839700, "follower_growth": 2046}, 1046180),
        Platform.DOUYIN: (
            range(1, 13),
            {"posts": 780, "reads": 24863100, "live_streams": 96, "live_views": 1520300},
            0,
        ),
        Platform.KUAISHOU: (
            range(1, 13),
            {"posts": 520, "reads": 9312400, "live_streams": 48, "live_views": 603200},
            0,
        ),
        Platform.WECHAT_CHANNELS: (
            range(1, 13),
            {"posts": 560, "reads": 12640500, "live_streams": 60, "live_views": 873000},
            0,
        ),
        Platform.CCTV_VIDEO: (range(1, 13), {"posts": 240, "reads": 5360400}, 0),
    },
    2023: {
        Platform.WECHAT_MP: (range(1, 13), {"posts": 1802, "reads": 3075880, "follower_growth": 19650}, 400900),
        Platform.DOUYIN: (
            range(1, 13),
            {"posts": 640, "reads": 18920000, "live_streams": 70, "live_views": 1100000},
            0,
        ),
        Platform.KUAISHOU: (
            range(1, 13),
            {"posts": 410, "reads": 6500000, "live_streams": 30, "live_views": 420000},
            0,
        ),
        Platform.WECHAT_CHANNELS: (
            range(1, 13),
            {"posts": 450, "reads": 9800000, "live_streams": 40, "live_views": 610000},
            0,
        ),
        Platform.CCTV_VIDEO: (range(1, 13), {"posts": 180, "reads": 3900000}, 0),
    },
}
WEBSITE = {  # language → (articles, visits)
    2024: {"zh-hans": (1595, 3900000), "en": (412, 258300)},
    2023: {"zh-hans": (1510, 3500000), "en": (360, 220000)},
}
PLACEMENTS = {2024: (5012, 8, 19), 2023: (4620, 6, 15)}  # total, 《新闻联播》, 《北京新闻》
AWARDS = {
    2024: [
        ("北京新闻奖", "二等奖", "京津冀异地康养打开养老新格局 京城有了养老“后花园”"),
        ("北京新闻奖", "三等奖", "一切向幸福奋进"),
        ("北京市专业报刊好新闻奖", "一等奖", "中轴线申遗成功背后的西城力量"),
        ("北京市专业报刊好新闻奖", "二等奖", "老胡同里的新生活"),
        ("北京市专业报刊好新闻奖", "三等奖", "金融街的“早八点”"),
        ("2023年度优秀广播电视节目", "优秀作品", "都市阳光·民生访谈"),
        ("2023年度优秀广播电视节目", "优秀作品", "国庆75周年大直播西城板块"),
        ("2023年度优秀广播电视节目", "优秀作品", "北京故事"),
        ("“学习强国”优秀作品", "优秀作品", "什刹海冰场开放啦"),
        ("“学习强国”优秀作品", "优秀作品", "西城养老驿站一日"),
        ("“学习强国”优秀作品", "优秀作品", "接诉即办 件件有回音"),
        ("“学习强国”优秀作品", "优秀作品", "历史街区的烟火气"),
        ("北京市区级融媒体中心优秀作品", "一等奖", "文物腾退后的新时光"),
        ("北京市区级融媒体中心优秀作品", "二等奖", "大栅栏的老字号"),
        ("北京市区级融媒体中心优秀作品", "二等奖", "西城冬奥记忆"),
        ("北京市区级融媒体中心优秀作品", "三等奖", "白塔寺下的院子"),
        ("北京市区级融媒体中心优秀作品", "三等奖", "社区里的“小巷管家”"),
        ("全国县级融媒体中心优秀作品", "优秀作品", "中轴线上的西城"),
        ("全国县级融媒体中心优秀作品", "优秀作品", "护航高考的西城力量"),
    ],
    2023: [(f"北京市区级融媒体中心优秀作品{n}", "优秀作品", f"2023年获奖作品{n}") for n in range(1, 16)],
}
NEWSPAPER = {2024: (81, 37), 2023: (80, 35)}  # issues, of which 8-page issues (the others 6 pages)
PERIODICAL = {2024: (4, [30, 30, 30, 31], [78, 78, 78, 78]), 2023: (4, [28, 29, 30, 30], [70, 70, 70, 70])}
TV_EPISODES = {2024: 304, 2023: 300}


def _spread(total, months, places=0) -> list[Decimal]:
    """``total`` over ``months`` as nearly evenly as possible, exact in sum."""
    total = Decimal(str(total))
    count = len(months)
    unit = Decimal(1).scaleb(-places)
    share = (total / count).quantize(unit, rounding="ROUND_FLOOR")
    parts = [share] * count
    parts[-1] = total - share * (count - 1)
    return parts


def _budget(fiscal: FiscalYear) -> tuple[int, int]:
    lines = expenditures = 0
    for order, (name, kind, initial, adjustment, carry) in enumerate(BUDGET[fiscal.year]):
        line, _ = BudgetLine.objects.update_or_create(
            year=fiscal,
            name=name,
            defaults={
                "kind": kind,
                "order": order,
                "initial": Decimal(initial),
                "adjustment": Decimal(adjustment),
                "carry_over": Decimal(carry),
            },
        )
        lines += 1
        spent = (line.available * SPEND_SHARE[fiscal.year]).quantize(Decimal("0.01"))
        line.final_amount = spent
        line.save(update_fields=["final_amount"])
        line.expenditures.all().delete()
        rows = [
            Expenditure(line=line, month=month, amount=amount, note="演示数据：月度支出", source="manual")
            for month, amount in zip(range(1, 13), _spread(spent, range(12), 2), strict=True)
        ]
        Expenditure.objects.bulk_create(rows)
        expenditures += len(rows)
    return lines, expenditures


def _channels(year: int) -> int:
    count = 0
    for platform, (months, totals, followers_end) in CHANNELS[year].items():
        months = list(months)
        spread = {field: _spread(total, months) for field, total in totals.items()}
        growth = spread.get("follower_growth")
        for position, month in enumerate(months):
            values = {field: int(parts[position]) for field, parts in spread.items()}
            if followers_end:
                later_growth = sum(growth[position + 1 :]) if growth else 0
                values["followers"] = int(followers_end - later_growth)
            ChannelStat.objects.update_or_create(
                platform=platform, account=ACCOUNT, language="zh-hans", year=year, month=month, defaults=values
            )
            count += 1
    for language, (articles, visits) in WEBSITE[year].items():
        for month, posts, reads in zip(
            range(1, 13), _spread(articles, range(12)), _spread(visits, range(12)), strict=True
        ):
            ChannelStat.objects.update_or_create(
                platform=Platform.WEBSITE,
                account="北京西城政府网站" if language == "zh-hans" else "Beijing Xicheng (English)",
                language=language,
                year=year,
                month=month,
                defaults={"posts": int(posts), "reads": int(reads)},
            )
            count += 1
    return count


def _placements(year: int) -> int:
    total, lianbo, beijing = PLACEMENTS[year]
    count = 0

    def put(**fields):
        nonlocal count
        Placement.objects.update_or_create(
            outlet=fields.pop("outlet"),
            programme=fields.pop("programme"),
            date=fields.pop("date"),
            title=fields.pop("title"),
            defaults=fields,
        )
        count += 1

    for n in range(lianbo):
        put(outlet="中央广播电视总台", programme="新闻联播", level=Placement.Level.CENTRAL,
            date=dt.date(year, 1 + n % 12, 10 + n % 15), title=f"西城区重点活动（{year}年第{n + 1}次）")  # fmt: skip
    for n in range(beijing):
        put(outlet="北京广播电视台", programme="北京新闻", level=Placement.Level.MUNICIPAL,
            date=dt.date(year, 1 + n % 12, 5 + n % 20), title=f"西城新闻（{year}年第{n + 1}次）")  # fmt: skip
    batch = total - lianbo - beijing
    levels = [
        (Placement.Level.CENTRAL, "中央媒体", batch * 30 // 100),
        (Placement.Level.MUNICIPAL, "市属媒体", batch * 45 // 100),
    ]
    levels.append((Placement.Level.ONLINE, "网络媒体", batch - sum(n for _l, _o, n in levels)))
    for level, outlet, quantity in levels:
        for month, part in zip(range(1, 13), _spread(quantity, range(12)), strict=True):
            put(outlet=outlet, programme="", level=level, date=dt.date(year, month, 28),
                title=f"{month}月{outlet}刊播（批量登记）", quantity=int(part))  # fmt: skip
    return count


def _ledger(year: int) -> dict[type, int]:
    for n, (name, prize, work) in enumerate(AWARDS[year]):
        Award.objects.update_or_create(
            name=name, work=work, date=dt.date(year, 3 + n % 9, 15), defaults={"prize": prize}
        )
    issues, eight_page = NEWSPAPER[year]
    for n in range(issues):
        Publication.objects.update_or_create(
            kind=Publication.Kind.NEWSPAPER,
            title="北京西城报",
            date=dt.date(year, 1, 5) + dt.timedelta(days=4 * n + n // 2),
            defaults={"pages": 8 if n < eight_page else 6, "issues": 1},
        )
    count, articles, images = PERIODICAL[year]
    for n in range(count):
        Publication.objects.update_or_create(
            kind=Publication.Kind.PERIODICAL,
            title="西城文苑",
            date=dt.date(year, 3 * n + 3, 20),
            defaults={"articles": articles[n], "images": images[n], "issues": 1},
        )
    for month, episodes in zip(range(1, 13), _spread(TV_EPISODES[year], range(12)), strict=True):
        Publication.objects.update_or_create(
            kind=Publication.Kind.TV, title="都市阳光", date=dt.date(year, month, 1), defaults={"issues": int(episodes)}
        )
    return {Award: len(AWARDS[year]), Publication: issues + count + 12}


def _q(weight, reason, share=100):
    return {"weight": weight, "rule": "qualitative", "grade": "met", "grade_share": share, "reason": reason}


def _m(metric, weight, target, unit, **extra):
    return {"weight": weight, "target": target, "unit": unit, "source": "metric", "metric": metric, **extra}


INDICATORS_2024 = [
    ("预算执行", [("预算执行", [("预算执行率", _m("budget_execution_rate", 10, 100, "%"))])]),
    (
        "产出",
        [
            (
                "数量",
                [
                    ("微信公众号发布篇数", _m("wechat_posts", 4, 1800, "篇")),
                    ("短视频发布条数", _m("short_video_posts", 4, 2000, "条")),
                    ("《北京西城报》出版期数", _m("newspaper_issues", 4, 80, "期")),
                    ("《都市阳光》播出期数", _m("tv_episodes", 4, 300, "期")),
                    ("政府网站发布篇数", _m("website_articles", 4, 1500, "篇")),
                ],
            ),
            (
                "质量",
                [
                    ("中央、市属及网络媒体刊播", _m("placements", 4, 5000, "篇/条")),
                    ("登上央视《新闻联播》", _m("xinwen_lianbo", 3, 6, "次")),
                    ("作品获奖", _m("awards", 3, 15, "个")),
                ],
            ),
            ("时效", [("工作任务按进度完成", _q(10, "各项工作任务按进度计划完成，支出进度与工作进度相匹配。"))]),
            (
                "成本",
                [
                    (
                        "预算调整率",
                        _m(
                            "adjustment_rate",
                            10,
                            10,
                            "%",
                            direction="<=",
                            rule="banded",
                            bands=[[0, 100], [10, "66.67"], [20, "33.33"]],
                        ),
                    )
                ],
            ),
        ],
    ),
    (
        "效益",
        [
            (
                "社会效益",
                [
                    ("微信公众号阅读量", _m("wechat_reads", 10, 4000000, "次")),
                    ("政府网站访问量", _m("website_visits", 10, 4000000, "次")),
                ],
            ),
            (
                "可持续影响",
                [
                    ("微信公众号关注总量", _m("wechat_followers", 5, 420000, "人")),
                    ("微博粉丝总数", _m("weibo_followers", 5, 1000000, "个")),
                ],
            ),
            ("服务对象满意度", [("服务对象满意度", {"weight": 10, "target": 90, "unit": "%", "manual_value": 95})]),
        ],
    ),
    (
        "预算管理",
        [
            ("财务管理", [("财务管理制度健全性", _q(0, "财务管理制度合法、合规、完整。"))]),
            ("资产管理", [("资产账实相符", _q(0, "定期盘点，账实相符。"))]),
            ("绩效管理", [("绩效管理机制健全性", _q(0, "绩效目标、监控、评价、结果应用各环节齐全。"))]),
        ],
    ),
]

PROBLEMS = {
    2024: [
        {
            "problem": "需进一步加强预算管理工作，不断提升部门预算编制的前瞻性、科学性和准确性。",
            "measures": "召开绩效复盘会，按项目梳理预算编制依据，建立项目库滚动管理。",
            "owner": "办公室（财务）",
            "due_date": dt.date(2025, 6, 30),
            "status": Problem.Status.OPEN,
        }
    ],
    2023: [
        {
            "problem": "部分项目支出进度前慢后快。",
            "measures": "按月监控支出进度，季度通报。",
            "owner": "办公室（财务）",
            "due_date": dt.date(2024, 6, 30),
            "verification": "2024年各月支出进度与工作进度匹配，执行率100%。",
            "status": Problem.Status.CLOSED,
        }
    ],
}


def load() -> dict[type, int]:
    summary: dict[type, int] = {}

    def add(model, n):
        summary[model] = summary.get(model, 0) + n

    for year in (2023, 2024):
        assets, inventory = FIXED_ASSETS[year]
        fiscal, _ = FiscalYear.objects.update_or_create(
            year=year,
            defaults={
                "unit_name": UNIT,
                "fixed_assets_total": Decimal(assets),
                "fixed_assets_inventory_date": inventory,
            },
        )
        add(FiscalYear, 1)
        for key in texts.KEYS:
            TextBlock.objects.update_or_create(year=fiscal, key=key, defaults={"text": texts.DEFAULTS[key]})
        add(TextBlock, len(texts.KEYS))
        lines, expenditures = _budget(fiscal)
        add(BudgetLine, lines)
        add(Expenditure, expenditures)
        add(ChannelStat, _channels(year))
        add(Placement, _placements(year))
        for model, n in _ledger(year).items():
            add(model, n)
        for fields in PROBLEMS[year]:
            Problem.objects.update_or_create(year=fiscal, problem=fields["problem"], defaults=fields)
        add(Problem, len(PROBLEMS[year]))
    fiscal_2024 = FiscalYear.objects.get(year=2024)
    add(Indicator, frameworks.write_tree(Indicator, INDICATORS_2024, year=fiscal_2024))
    template = frameworks.NATIONAL_FRAMEWORK
    add(Indicator, frameworks.write_tree(Indicator, template, year=FiscalYear.objects.get(year=2023)))
    return summary
