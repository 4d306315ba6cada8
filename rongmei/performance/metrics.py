"""The metrics registry: every figure the indicators and the report count,
as ``key → Metric(label, unit, func)`` where ``func(year, months)`` returns a
:class:`Figure`: the value and its provenance (which records, how many,
and how they were combined).

Every figure is one or a few SQL aggregates (``SUM``, ``COUNT`` grouped by
month), never a loop over rows, so a year of a million rows stays fast.

**No double counting.** For the channel figures the platform also records
itself (deliveries to WeChat, the website's articles and page views), the
unit of replacement is (platform, language, month): where the output ledger
holds a :class:`~rongmei.performance.models.ChannelStat` value for it (the
platform's back-office statistics, authoritative), that value counts and
the platform's own records of that month are not added; in every other
month the platform's own records count. The provenance says which months
came from which.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from rongmei.performance.models import (
    COUNT_COLUMNS,
    Award,
    BudgetLine,
    ChannelStat,
    Expenditure,
    FiscalYear,
    Placement,
    Platform,
    Publication,
)

ALL_MONTHS = (1, 12)
ZERO = Decimal(0)
HUNDRED = Decimal(100)
VIDEO_PLATFORMS = (Platform.DOUYIN, Platform.KUAISHOU, Platform.WECHAT_CHANNELS, Platform.CCTV_VIDEO)
LIVE_PLATFORMS = (Platform.DOUYIN, Platform.KUAISHOU, Platform.WECHAT_CHANNELS)


@dataclass
class Source:
    """Records a figure was computed from."""

    model: str  # e.g. "performance.ChannelStat"
    rows: int
    description: str  # which rows, in words (Chinese: shown in the report's appendix and the admin)

    def as_dict(self) -> dict:
        return {"model": self.model, "rows": self.rows, "description": self.description}


@dataclass
class Figure:
    value: Decimal | int | None
    unit: str = ""
    formula: str = ""
    sources: list[Source] = field(default_factory=list)
    empty_text: str = "无数据"  # how a missing value reads in the report

    def as_dict(self) -> dict:
        return {
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "formula": self.formula,
            "sources": [s.as_dict() for s in self.sources],
        }


@dataclass
class Metric:
    key: str
    label: str
    unit: str
    func: Callable[[int, tuple[int, int]], Figure]
    group: str = "output"  # output | budget


REGISTRY: dict[str, Metric] = {}

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("performance_metric_memo", default=None)


@contextlib.contextmanager
def caching():
    """Inside the block each figure is computed once (a report asks for
    the same budget totals many times)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def register(key: str, label: str, unit: str, group: str = "output"):
    def decorate(func):
        REGISTRY[key] = Metric(key, label, unit, func, group)
        return func

    return decorate


def compute(key: str, year: int, months: tuple[int, int] = ALL_MONTHS) -> Figure:
    memo = _memo.get()
    if memo is not None and (key, year, months) in memo:
        return memo[(key, year, months)]
    metric = REGISTRY[key]
    figure = metric.func(year, months)
    if not figure.unit:
        figure.unit = metric.unit
    if memo is not None:
        memo[(key, year, months)] = figure
    return figure


def _memoised(name: str, year: int, months: tuple[int, int], work: Callable[[], object]):
    memo = _memo.get()
    if memo is None:
        return work()
    if (name, year, months) not in memo:
        memo[(name, year, months)] = work()
    return memo[(name, year, months)]


def yoy(key: str, year: int, months: tuple[int, int] = ALL_MONTHS) -> tuple[Figure, Figure]:
    """较去年增加: (absolute change, change in % of last year's value)."""
    current, previous = compute(key, year, months), compute(key, year - 1, months)
    sources = [*current.sources, *previous.sources]
    label = REGISTRY[key].label
    if current.value is None or previous.value is None:
        return Figure(None, current.unit, f"{label}：缺少{year - 1}年或{year}年数据", sources), Figure(
            None, "%", "", sources
        )
    change = Decimal(current.value) - Decimal(previous.value)
    absolute = Figure(change, current.unit, f"{year}年{label} {current.value} − {year - 1}年 {previous.value}", sources)
    if not previous.value:
        return absolute, Figure(None, "%", f"{year - 1}年{label}为0，无法计算增幅", sources, empty_text="—")
    pct = change / Decimal(previous.value) * HUNDRED
    return absolute, Figure(pct, "%", f"({current.value} − {previous.value}) / {previous.value} × 100%", sources)


def _month_label(months: tuple[int, int]) -> str:
    return "全年" if months == ALL_MONTHS else f"{months[0]}–{months[1]}月"


def _bounds(year: int, months: tuple[int, int]) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, months[0], 1, tzinfo=tz)
    end = dt.datetime(year + (months[1] == 12), months[1] % 12 + 1, 1, tzinfo=tz)
    return start, end


def _date_bounds(year: int, months: tuple[int, int]) -> tuple[dt.date, dt.date]:
    start, end = _bounds(year, months)
    return start.date(), end.date() - dt.timedelta(days=1)


# ------------------------------------------------------------------ channel figures


def _platform_names(platforms) -> str:
    return "、".join(str(Platform(p).label) for p in platforms)


LEDGER_COLUMNS = COUNT_COLUMNS


def ledger_table(year: int, months: tuple[int, int]) -> dict[tuple, dict]:
    """The year's ledger in one grouped aggregate: for each (platform,
    language, month) of ``months``, each column's sum and its number of
    non-empty rows (an empty figure is "not reported", not zero). The query
    covers the whole year, grouped in the covering index's order (a month
    range in SQL would make SQLite sort); the months are picked afterwards
    from the at most platforms × languages × 12 groups."""

    def work():
        aggregates = {}
        for column in LEDGER_COLUMNS:
            aggregates[f"{column}__sum"] = Sum(column)
            aggregates[f"{column}__rows"] = Count(column)
        rows = (
            ChannelStat.objects.filter(year=year)
            .order_by()
            .values("platform", "language", "month")
            .annotate(**aggregates)
        )
        return {(r["platform"], r["language"], r["month"]): r for r in rows}

    table = _memoised("ledger_table", year, ALL_MONTHS, work)
    return {key: row for key, row in table.items() if months[0] <= key[2] <= months[1]}


def _ledger(year, months, platforms, column, language=None) -> tuple[dict[tuple, int], int]:
    """Ledger totals per (platform, language, month) that report ``column``, and their rows."""
    totals, count = {}, 0
    for key, row in ledger_table(year, months).items():
        if key[0] in platforms and (language is None or key[1] == language) and row[f"{column}__rows"]:
            totals[key] = row[f"{column}__sum"]
            count += row[f"{column}__rows"]
    return totals, count


def _combine(year, months, platforms, column, label, own: dict[tuple, int], own_model: str, own_what: str) -> Figure:
    """Ledger values where present, else the platform's own counts (see the module's doc)."""
    ledger, ledger_rows = _ledger(year, months, platforms, column)
    total = sum(ledger.values())
    own_used = {key: value for key, value in own.items() if key not in ledger}
    replaced = sum(1 for key in own if key in ledger and own[key])
    total += sum(own_used.values())
    names = _platform_names(platforms)
    sources = [
        Source(
            "performance.ChannelStat",
            ledger_rows,
            f"{names}后台统计（产出台账，权威）：{len({k[2] for k in ledger})}个月，{year}年{_month_label(months)}"
            + (f"；替代了平台自有记录的{replaced}个月" if replaced else ""),
        )
    ]
    if own_model:
        sources.append(
            Source(
                own_model,
                sum(own_used.values()),
                f"{own_what}：仅计入台账没有数据的月份（{len(own_used)}个月）",
            )
        )
    return Figure(total, formula=f"{label} = Σ 台账（有数据的月份）+ Σ 平台记录（其余月份）", sources=sources)


def _deliveries(year, months, platforms) -> dict[tuple, int]:
    from rongmei.distribution.models import Delivery, DeliveryAction, DeliveryState

    start, end = _bounds(year, months)
    rows = (
        Delivery.objects.filter(
            state=DeliveryState.DELIVERED,
            action=DeliveryAction.PUBLISH,
            channel__kind__in=platforms,
            finished_at__gte=start,
            finished_at__lt=end,
        )
        .order_by()
        .annotate(m=ExtractMonth("finished_at"))
        .values("channel__kind", "channel__language", "m")
        .annotate(n=Count("pk"))
    )
    return {(r["channel__kind"], r["channel__language"], r["m"]): r["n"] for r in rows}


def _website_articles(year, months, language) -> dict[tuple, int]:
    from rongmei.website.models import ArticlePage

    start, end = _bounds(year, months)
    rows = (
        ArticlePage.objects.live()
        .filter(language=language, first_published_at__gte=start, first_published_at__lt=end)
        .order_by()  # Wagtail orders pages by path, which would split the groups
        .annotate(m=ExtractMonth("first_published_at"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    return {(Platform.WEBSITE, language, r["m"]): r["n"] for r in rows}


def _page_views(year, months) -> dict[tuple, int]:
    from rongmei.analytics.models import PageView

    first, last = _date_bounds(year, months)
    rows = (
        PageView.objects.filter(day__gte=first, day__lte=last)
        .order_by()
        .annotate(m=ExtractMonth("day"))
        .values("language", "m")
        .annotate(n=Sum("views"))
    )
    totals: dict[tuple, int] = {}
    for r in rows:
        key = (Platform.WEBSITE, r["language"] or "zh-hans", r["m"])
        totals[key] = totals.get(key, 0) + (r["n"] or 0)
    return totals


def _stock(year, months, platforms, label) -> Figure:
    """Followers: the sum over accounts at the latest month of the range that has figures."""
    rows = {k: r for k, r in ledger_table(year, months).items() if k[0] in platforms and r["followers__rows"]}
    if not rows:
        return Figure(None, sources=[Source("performance.ChannelStat", 0, f"{_platform_names(platforms)}：无粉丝数据")])
    last = max(key[2] for key in rows)
    total = sum(r["followers__sum"] for k, r in rows.items() if k[2] == last)
    count = sum(r["followers__rows"] for k, r in rows.items() if k[2] == last)
    return Figure(
        total,
        formula=f"{label} = {last}月末各账号粉丝数之和",
        sources=[Source("performance.ChannelStat", count, f"{_platform_names(platforms)}：{year}年{last}月后台统计")],
    )


def _channel_metric(key, label, unit, platforms, column, own=None, own_model="", own_what=""):
    def func(year, months):
        counts = own(year, months) if own else {}
        return _combine(year, months, platforms, column, label, counts, own_model, own_what)

    register(key, label, unit)(func)


_channel_metric(
    "wechat_posts",
    "微信公众号发布篇数",
    "篇",
    (Platform.WECHAT_MP,),
    "posts",
    own=lambda y, m: _deliveries(y, m, (Platform.WECHAT_MP,)),
    own_model="distribution.Delivery",
    own_what="发布队列中已送达微信公众号的稿件",
)
_channel_metric("wechat_reads", "微信公众号阅读量", "次", (Platform.WECHAT_MP,), "reads")
_channel_metric("wechat_follower_growth", "微信公众号新增关注", "人", (Platform.WECHAT_MP,), "follower_growth")
register("wechat_followers", "微信公众号关注总量", "人")(
    lambda y, m: _stock(y, m, (Platform.WECHAT_MP,), "微信公众号关注总量")
)
_channel_metric(
    "weibo_posts",
    "微博发布条数",
    "条",
    (Platform.WEIBO,),
    "posts",
    own=lambda y, m: _deliveries(y, m, (Platform.WEIBO,)),
    own_model="distribution.Delivery",
    own_what="发布队列中已送达微博的稿件",
)
_channel_metric("weibo_reads", "微博阅读量", "次", (Platform.WEIBO,), "reads")
_channel_metric("weibo_new_followers", "微博新增粉丝", "个", (Platform.WEIBO,), "follower_growth")
register("weibo_followers", "微博粉丝总数", "个")(lambda y, m: _stock(y, m, (Platform.WEIBO,), "微博粉丝总数"))


@register("weibo_first_month", "微博开始运营月份", "月")
def weibo_first_month(year, months):
    weibo = [key[2] for key in ledger_table(year, months) if key[0] == Platform.WEIBO]
    return Figure(
        min(weibo, default=None),
        formula="当年有微博后台统计的最早月份",
        sources=[Source("performance.ChannelStat", len(weibo), f"微博 {year}年后台统计（平台·语言·月）")],
    )


_channel_metric(
    "short_video_posts",
    "短视频发布条数",
    "条",
    VIDEO_PLATFORMS,
    "posts",
    own=lambda y, m: _deliveries(y, m, VIDEO_PLATFORMS),
    own_model="distribution.Delivery",
    own_what="发布队列中已送达短视频平台的稿件",
)
_channel_metric("short_video_views", "短视频观看量", "次", VIDEO_PLATFORMS, "reads")
_channel_metric("live_streams", "直播场次", "场", LIVE_PLATFORMS, "live_streams")
_channel_metric("live_views", "直播观看量", "次", LIVE_PLATFORMS, "live_views")


def _website_ledger_metric(key, label, language):
    def func(year, months):
        ledger, rows = _ledger_language(year, months, "posts", language)
        own = _website_articles(year, months, language)
        return _combine_language(
            year, months, label, ledger, rows, own, "website.ArticlePage", "网站首次发布的文章", "posts"
        )

    register(key, label, "篇")(func)


def _ledger_language(year, months, column, language):
    return _ledger(year, months, (Platform.WEBSITE,), column, language)


def _combine_language(year, months, label, ledger, ledger_rows, own, own_model, own_what, column):
    own_used = {k: v for k, v in own.items() if k not in ledger}
    total = sum(ledger.values()) + sum(own_used.values())
    return Figure(
        total,
        formula=f"{label} = Σ 台账（有数据的月份）+ Σ 平台记录（其余月份）",
        sources=[
            Source(
                "performance.ChannelStat",
                ledger_rows,
                f"网站后台统计（产出台账，权威）：{len({k[2] for k in ledger})}个月，{year}年{_month_label(months)}",
            ),
            Source(own_model, sum(own_used.values()), f"{own_what}：仅计入台账没有数据的月份（{len(own_used)}个月）"),
        ],
    )


_website_ledger_metric("website_articles", "政府网站发布篇数", "zh-hans")
_website_ledger_metric("website_articles_en", "英文网站更新条数", "en")


@register("website_visits", "网站访问量", "次")
def website_visits(year, months):
    own = _page_views(year, months)
    ledger, ledger_rows = _ledger(year, months, (Platform.WEBSITE,), "reads")
    return _combine_language(
        year, months, "网站访问量", ledger, ledger_rows, own, "analytics.PageView", "平台自行统计的页面访问量", "reads"
    )


# ------------------------------------------------------------------ ledger figures


def placement_totals(year: int, months: tuple[int, int]) -> dict:
    """Every placement figure of the period in one aggregate."""

    def work():
        first, last = _date_bounds(year, months)
        return Placement.objects.filter(date__gte=first, date__lte=last).aggregate(
            rows=Count("pk"),
            placements=Sum("quantity"),
            placements_central=Sum("quantity", filter=Q(level=Placement.Level.CENTRAL)),
            placements_municipal=Sum("quantity", filter=Q(level=Placement.Level.MUNICIPAL)),
            placements_online=Sum("quantity", filter=Q(level=Placement.Level.ONLINE)),
            xinwen_lianbo=Sum("quantity", filter=Q(programme__contains="新闻联播")),
            beijing_news=Sum("quantity", filter=Q(programme__contains="北京新闻")),
        )

    return _memoised("placement_totals", year, months, work)


def _placements(key, label, what):
    def func(year, months):
        totals = placement_totals(year, months)
        first, last = _date_bounds(year, months)
        return Figure(
            totals[key] or 0,
            formula=f"{label} = Σ 数量（{what}）",
            sources=[Source("performance.Placement", totals["rows"], f"刊播登记，{first} 至 {last}（其中{what}）")],
        )

    register(key, label, "次" if key in ("xinwen_lianbo", "beijing_news") else "篇/条")(func)


_placements("placements", "中央、市属及网络媒体刊播", "全部级别")
_placements("placements_central", "中央媒体刊播", "级别为中央")
_placements("placements_municipal", "市属媒体刊播", "级别为市属")
_placements("placements_online", "网络媒体刊播", "级别为网络")
_placements("xinwen_lianbo", "登上央视《新闻联播》", "栏目含“新闻联播”")
_placements("beijing_news", "登上北京卫视《北京新闻》", "栏目含“北京新闻”")


@register("awards", "获奖作品", "个")
def awards(year, months):
    first, last = _date_bounds(year, months)
    n = Award.objects.filter(date__gte=first, date__lte=last).count()
    return Figure(
        n, formula="获奖 = 获奖登记条数", sources=[Source("performance.Award", n, f"获奖登记，{first} 至 {last}")]
    )


# ------------------------------------------------------------------ the public (多平台互动)


def _inbox(year: int, months: tuple[int, int]) -> dict:
    """The inbox's figures for items posted in the period
    (:func:`rongmei.interaction.stats.summary`): what 服务对象满意度 and
    社会效益 are measured by."""
    from rongmei.interaction.stats import summary

    start, end = _date_bounds(year, months)
    return _memoised("inbox", year, months, lambda: summary(start, end + dt.timedelta(days=1)))


def _inbox_source(figures: dict, year: int, months: tuple[int, int]) -> list[Source]:
    first, last = _date_bounds(year, months)
    return [Source("interaction.Item", figures["received"], f"互动中心收到的留言、评论和来电，{first} 至 {last}")]


@register("inbox_received", "受理群众诉求", "件")
def inbox_received(year, months):
    figures = _inbox(year, months)
    return Figure(
        figures["received"], formula="受理 = 互动中心收到的条数", sources=_inbox_source(figures, year, months)
    )


@register("inbox_response_rate", "群众诉求回应率", "%")
def inbox_response_rate(year, months):
    figures = _inbox(year, months)
    rate = figures["response_rate"]
    return Figure(
        None if rate is None else (Decimal(str(rate)) * HUNDRED).quantize(Decimal("0.1")),
        formula=(
            f"回应率 = 已回应 {figures['answered']} ÷ 需回应（受理 {figures['received']} − 关闭 {figures['closed']}）"
        ),
        sources=_inbox_source(figures, year, months),
    )


@register("inbox_first_response_median_hours", "首次回应用时中位数", "小时")
def inbox_first_response_median_hours(year, months):
    figures = _inbox(year, months)
    median = figures["first_response_hours"]["median"]
    return Figure(
        None if median is None else Decimal(str(median)).quantize(Decimal("0.1")),
        formula="首次回应用时 = 首次回应时间 − 发布时间，取中位数",
        sources=_inbox_source(figures, year, months),
    )


def publication_totals(year: int, months: tuple[int, int]) -> dict:
    """Every publication figure of the period in one aggregate."""

    def work():
        first, last = _date_bounds(year, months)
        aggregates = {"rows": Count("pk")}
        for kind in Publication.Kind.values:
            aggregates[f"{kind}__rows"] = Count("pk", filter=Q(kind=kind))
            for column in ("issues", "pages", "articles", "images"):
                aggregates[f"{kind}__{column}"] = Sum(column, filter=Q(kind=kind))
        return Publication.objects.filter(date__gte=first, date__lte=last).aggregate(**aggregates)

    return _memoised("publication_totals", year, months, work)


def _publication(key, label, unit, kind, column):
    def func(year, months):
        totals = publication_totals(year, months)
        first, last = _date_bounds(year, months)
        return Figure(
            totals[f"{kind}__{column}"] or 0,
            formula=f"{label} = Σ {column}",
            sources=[
                Source(
                    "performance.Publication",
                    totals[f"{kind}__rows"],
                    f"出版播出登记（{Publication.Kind(kind).label}），{first} 至 {last}",
                )
            ],
        )

    register(key, label, unit)(func)


_publication("newspaper_issues", "报纸出版期数", "期", Publication.Kind.NEWSPAPER, "issues")
_publication("newspaper_pages", "报纸版面数", "个", Publication.Kind.NEWSPAPER, "pages")
_publication("periodical_issues", "刊物发行期数", "期", Publication.Kind.PERIODICAL, "issues")
_publication("periodical_articles", "刊物文章篇数", "篇", Publication.Kind.PERIODICAL, "articles")
_publication("periodical_images", "刊物图片张数", "张", Publication.Kind.PERIODICAL, "images")
_publication("tv_episodes", "电视节目播出期数", "期", Publication.Kind.TV, "issues")


# ------------------------------------------------------------------ budget figures


def budget_totals(year: int, months: tuple[int, int] = ALL_MONTHS) -> dict:
    """The year's budget and spending (万元) in two aggregate queries."""

    def work():
        lines = BudgetLine.objects.filter(year__year=year)
        available = F("initial") + F("adjustment") + F("carry_over")
        basic = Q(kind__in=BudgetLine.BASIC)
        totals = lines.aggregate(
            lines=Count("pk"),
            t_initial=Sum("initial"),
            t_adjustment=Sum("adjustment"),
            t_carry_over=Sum("carry_over"),
            available=Sum(available),
            basic=Sum(available, filter=basic),
            personnel=Sum(available, filter=Q(kind=BudgetLine.Kind.PERSONNEL)),
            public=Sum(available, filter=Q(kind=BudgetLine.Kind.PUBLIC)),
            project=Sum(available, filter=Q(kind=BudgetLine.Kind.PROJECT)),
            final=Sum("final_amount"),
            final_missing=Count("pk", filter=Q(final_amount__isnull=True)),
        )
        totals = {key.removeprefix("t_"): value for key, value in totals.items()}
        # Per line, then by kind here: no join over the expenditures, and the
        # (line, month) index narrows the scan to the year's lines.
        kinds = dict(lines.values_list("pk", "kind"))
        per_line = (
            Expenditure.objects.filter(line_id__in=list(kinds), month__gte=months[0], month__lte=months[1])
            .order_by()
            .values("line_id")
            .annotate(total=Sum("amount"), rows=Count("pk"))
        )
        spent = {"rows": 0, "total": ZERO, "basic": ZERO, "project": ZERO}
        for row in per_line:
            spent["rows"] += row["rows"]
            spent["total"] += row["total"]
            spent["basic" if kinds[row["line_id"]] in BudgetLine.BASIC else "project"] += row["total"]
        result = {k: (v if v is not None else ZERO) for k, v in totals.items()}
        result.update({f"spent_{k}": (v if v is not None else ZERO) for k, v in spent.items()})
        # 决算: the final accounts once every line has them, else what was spent.
        result["final_complete"] = bool(totals["lines"]) and not totals["final_missing"]
        result["final_total"] = result["final"] if result["final_complete"] else result["spent_total"]
        return result

    return _memoised("budget_totals", year, months, work)


def _budget_sources(year, months, totals) -> list[Source]:
    return [
        Source("performance.BudgetLine", totals["lines"], f"{year}年预算科目（年初预算、本年追加/调整、上年结转）"),
        Source("performance.Expenditure", totals["spent_rows"], f"{year}年{_month_label(months)}支出记录"),
    ]


def _money(key, label, column, formula):
    def func(year, months):
        totals = budget_totals(year, months)
        return Figure(totals[column], "万元", formula, _budget_sources(year, months, totals))

    register(key, label, "万元", group="budget")(func)


_money("budget_total", "全年预算数", "available", "Σ(年初预算 + 本年追加/调整 + 上年结转)")
_money("budget_initial", "年初预算数", "initial", "Σ 年初预算")
_money("budget_adjustment", "本年追加/调整", "adjustment", "Σ 本年追加/调整")
_money("budget_carry_over", "上年结转", "carry_over", "Σ 上年结转")
_money("budget_basic", "基本支出预算数", "basic", "Σ 基本支出（人员经费 + 公用经费）各科目全年预算")
_money("budget_personnel", "人员经费预算数", "personnel", "Σ 人员经费科目全年预算")
_money("budget_public", "公用经费预算数", "public", "Σ 公用经费科目全年预算")
_money("budget_project", "项目支出预算数", "project", "Σ 项目支出科目全年预算")
_money("spent_total", "资金总体支出", "spent_total", "Σ 月度支出")
_money("spent_basic", "基本支出", "spent_basic", "Σ 基本支出科目的月度支出")
_money("spent_project", "项目支出", "spent_project", "Σ 项目支出科目的月度支出")
_money("final_total", "决算支出", "final_total", "Σ 决算数（各科目均有决算时），否则 Σ 月度支出")


def _rate(numerator, denominator, formula, sources, *, absolute=False) -> Figure:
    if not denominator:
        return Figure(None, "%", formula + "（分母为0：无预算）", sources, empty_text="无预算")
    value = (abs(numerator) if absolute else numerator) / denominator * HUNDRED
    return Figure(value, "%", formula, sources)


@register("budget_execution_rate", "预算执行率", "%", group="budget")
def budget_execution_rate(year, months):
    t = budget_totals(year, months)
    figure = _rate(
        t["spent_total"],
        t["available"],
        f"实际支出 {t['spent_total']} / 全年预算数 {t['available']} × 100%",
        _budget_sources(year, months, t),
    )
    if t["available"] and t["spent_total"] > t["available"]:
        figure.formula += "（超支）"
    return figure


@register("carryover_balance", "结转结余总额", "万元", group="budget")
def carryover_balance(year, months):
    t = budget_totals(year, months)
    balance = t["available"] - t["final_total"]
    note = "（为负：超支）" if balance < 0 else ""
    return Figure(
        balance,
        "万元",
        f"全年预算数 {t['available']} − 支出 {t['final_total']}{note}",
        _budget_sources(year, months, t),
    )


@register("carryover_rate", "结转结余率", "%", group="budget")
def carryover_rate(year, months):
    t = budget_totals(year, months)
    balance = t["available"] - t["final_total"]
    note = "（为负：超支）" if balance < 0 else ""
    return _rate(
        balance,
        t["available"],
        f"结转结余总额 {balance} / 支出预算数 {t['available']} × 100%{note}",
        _budget_sources(year, months, t),
    )


@register("difference_rate", "部门预决算差异率", "%", group="budget")
def difference_rate(year, months):
    t = budget_totals(year, months)
    fiscal = FiscalYear.objects.filter(year=year).only("difference_denominator").first()
    use_initial = fiscal is None or fiscal.difference_denominator == FiscalYear.Denominator.INITIAL
    denominator, name = (t["initial"], "年初预算支出") if use_initial else (t["available"], "全年预算数")
    return _rate(
        t["final_total"] - denominator,
        denominator,
        f"|决算支出 {t['final_total']} − {name} {denominator}| / {name} {denominator} × 100%",
        _budget_sources(year, months, t),
        absolute=True,
    )


@register("completion_rate", "预算完成率", "%", group="budget")
def completion_rate(year, months):
    t = budget_totals(year, months)
    balance = t["available"] - t["final_total"]
    return _rate(
        t["available"] - balance,
        t["available"],
        f"(上年结转 + 年初预算 + 本年追加 − 年末结余 {balance}) / (上年结转 + 年初预算 + 本年追加) {t['available']}",
        _budget_sources(year, months, t),
    )


@register("adjustment_rate", "预算调整率", "%", group="budget")
def adjustment_rate(year, months):
    t = budget_totals(year, months)
    return _rate(
        t["adjustment"],
        t["initial"],
        f"调整数 {t['adjustment']} / 年初预算数 {t['initial']} × 100%",
        _budget_sources(year, months, t),
    )


@register("fixed_assets_total", "固定资产总额", "万元", group="budget")
def fixed_assets_total(year, months):
    fiscal = FiscalYear.objects.filter(year=year).first()
    value = fiscal.fixed_assets_total if fiscal else None
    when = f"，最近盘点 {fiscal.fixed_assets_inventory_date}" if fiscal and fiscal.fixed_assets_inventory_date else ""
    return Figure(
        value,
        "万元",
        "财务登记的固定资产总额",
        [Source("performance.FiscalYear", int(fiscal is not None), f"{year}年{when}")],
    )


def choices() -> list[tuple[str, str]]:
    return [(key, f"{metric.label}（{key}）") for key, metric in REGISTRY.items()]
