"""Importing spreadsheets: the finance system's expenditure export and the
platforms' back-office statistics. Each import is read and checked by
:mod:`rongmei.core.tabular`, then planned (:func:`plan_expenditures`,
:func:`plan_channel_stats`: the dry run — every row that would be written
and every error, nothing written), then applied as a whole or not at all
(:func:`apply`).

Units: the ledger keeps money in 万元. The person says which unit the file
uses; a 万元 import whose amount exceeds ten times the line's whole-year
budget (or 10 000 万元 on a line without budget) is refused as a likely 元
figure, with a sentence saying so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from rongmei.core import audit, tabular
from rongmei.core.tabular import Column, RowError
from rongmei.performance.actions import PerformanceRefused, require
from rongmei.performance.models import BudgetLine, ChannelStat, Expenditure, FiscalYear, Platform

YUAN, WAN = "元", "万元"
UNITS = (WAN, YUAN)
SUSPICIOUS_FACTOR = 10
SUSPICIOUS_WITHOUT_BUDGET = Decimal(10000)  # 万元: one hundred million yuan


@dataclass
class Plan:
    kind: str  # expenditures | channel_stats
    year: int
    columns: list[Column]
    mapping: dict[str, int | None]
    headers: list[str]
    preview_headers: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)  # what would be written, one row each
    errors: list[RowError] = field(default_factory=list)
    empty_rows: int = 0
    writes: list = field(default_factory=list)  # unsaved model instances
    updates: int = 0
    source_name: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.writes)


# ------------------------------------------------------------------ expenditures


def expenditure_columns() -> list[Column]:
    return [
        Column(
            "month", "月份", parse=tabular.parse_month, aliases=["日期", "记账日期", "凭证日期", "期间", "会计期间"]
        ),
        Column("line", "预算科目", aliases=["科目名称", "项目名称", "预算项目", "科目"]),
        Column("amount", "金额", parse=tabular.parse_decimal, aliases=["发生额", "支出金额", "借方金额", "支出数"]),
        Column("voucher", "凭证号", required=False, aliases=["凭证编号", "凭证字号"]),
        Column("note", "摘要", required=False, aliases=["说明", "备注"]),
    ]


def _fmt(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.000001')).normalize():f}"


def plan_expenditures(file, fiscal: FiscalYear, *, unit: str = WAN, mapping=None, source_name: str = "") -> Plan:
    """The dry run of an expenditure import (raises TabularError for an unreadable file)."""
    if unit not in UNITS:
        raise PerformanceRefused(f"金额单位只能是 {'或'.join(UNITS)}。")
    table = tabular.read_table(file)
    columns = expenditure_columns()
    mapping = mapping if mapping is not None else tabular.guess_mapping(table.headers, columns)
    result = tabular.validate(table, columns, mapping, unique=("month", "line", "voucher", "amount", "note"))
    plan = Plan(
        "expenditures",
        fiscal.year,
        columns,
        mapping,
        table.headers,
        preview_headers=["行", "月份", "预算科目", "金额（万元）", "凭证号", "摘要"],
        errors=list(result.errors),
        empty_rows=result.empty_rows,
        source_name=source_name,
    )
    lines = {line.name: line for line in BudgetLine.objects.filter(year=fiscal)}
    normalised = {tabular.normalise_header(name): line for name, line in lines.items()}
    existing = set(
        Expenditure.objects.filter(line__year=fiscal).exclude(voucher="").values_list("line_id", "month", "voucher")
    )
    for row in result.rows:
        number = row[tabular.ROW_KEY]
        year, month = row["month"]
        errors = []
        if year is not None and year != fiscal.year:
            errors.append(RowError(number, "月份", f"属于{year}年，不是正在导入的{fiscal.year}年。"))
        line = lines.get(row["line"].strip()) or normalised.get(tabular.normalise_header(row["line"]))
        if line is None:
            names = "、".join(lines) or "（该年度尚无预算科目，请先录入预算）"
            errors.append(
                RowError(number, "预算科目", f"“{row['line']}”不是{fiscal.year}年的预算科目；现有科目：{names}。")
            )
        amount = row["amount"] / 10000 if unit == YUAN else row["amount"]
        if line is not None and unit == WAN:
            available = line.available
            limit = available * SUSPICIOUS_FACTOR if available > 0 else SUSPICIOUS_WITHOUT_BUDGET
            if abs(amount) > limit:
                errors.append(
                    RowError(
                        number,
                        "金额",
                        f"{_fmt(row['amount'])} 万元超过该科目全年预算 {_fmt(available)} 万元的{SUSPICIOUS_FACTOR}倍，"
                        "疑似按“元”填写：如果文件以元为单位，请在导入时选择“元”，系统会换算为万元。",
                    )
                )
        voucher = (row.get("voucher") or "").strip() if row.get("voucher") is not None else ""
        if line is not None and voucher and (line.pk, month, voucher) in existing:
            errors.append(RowError(number, "凭证号", f"凭证“{voucher}”已导入过该科目{month}月的支出，不能重复导入。"))
        if errors:
            plan.errors.extend(errors)
            continue
        note = (str(row.get("note") or "")).strip()[:200]
        plan.writes.append(
            Expenditure(line=line, month=month, amount=amount, voucher=voucher[:50], note=note, source="import")
        )
        plan.preview.append([str(number), f"{month}月", line.name, _fmt(amount), voucher, note])
    plan.errors.sort(key=lambda e: e.row_number)
    return plan


# ------------------------------------------------------------------ channel statistics

PLATFORM_NAMES = {
    "微信公众号": Platform.WECHAT_MP,
    "微信": Platform.WECHAT_MP,
    "公众号": Platform.WECHAT_MP,
    "微博": Platform.WEIBO,
    "新浪微博": Platform.WEIBO,
    "抖音": Platform.DOUYIN,
    "快手": Platform.KUAISHOU,
    "视频号": Platform.WECHAT_CHANNELS,
    "微信视频号": Platform.WECHAT_CHANNELS,
    "央视频": Platform.CCTV_VIDEO,
    "网站": Platform.WEBSITE,
    "政府网站": Platform.WEBSITE,
}


def parse_platform(value) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in Platform.values:
        return text
    if text in PLATFORM_NAMES:
        return PLATFORM_NAMES[text]
    raise ValueError(f"不是已知的平台；可用：{'、'.join(PLATFORM_NAMES)}。")


def parse_language(value) -> str:
    text = str(value).strip().lower()
    if text in ("中文", "简体中文", "zh", "zh-hans", "cn"):
        return "zh-hans"
    if text in ("英文", "英语", "english", "en"):
        return "en"
    raise ValueError("应为“中文”或“英文”。")


COUNT_FIELDS = ["posts", "reads", "followers", "follower_growth", "live_streams", "live_views"]


def channel_columns(*, platform_in_file: bool = True) -> list[Column]:
    columns = [Column("month", "月份", parse=tabular.parse_month, aliases=["日期", "统计月份", "时间"])]
    if platform_in_file:
        columns += [
            Column("platform", "平台", parse=parse_platform, aliases=["渠道"]),
            Column("account", "账号", aliases=["账号名称", "公众号名称", "帐号"]),
        ]
    count = tabular.parse_non_negative_int
    columns += [
        Column("language", "语言", required=False, parse=parse_language),
        Column("posts", "发布数", required=False, parse=count,
               aliases=["发文数", "发布篇数", "作品数", "群发次数", "发布量"]),
        Column("reads", "阅读量", required=False, parse=count,
               aliases=["播放量", "观看量", "阅读次数", "访问量", "浏览量"]),
        Column("followers", "粉丝数", required=False, parse=count,
               aliases=["关注总量", "累计关注人数", "总粉丝数", "用户数"]),
        Column("follower_growth", "净增粉丝", required=False, parse=tabular.parse_int,
               aliases=["净增关注人数", "新增粉丝", "新增关注"]),
        Column("live_streams", "直播场次", required=False, parse=count, aliases=["直播数"]),
        Column("live_views", "直播观看", required=False, parse=count, aliases=["直播观看量", "直播观看人次"]),
    ]  # fmt: skip
    return columns


def plan_channel_stats(
    file, fiscal: FiscalYear, *, platform: str = "", account: str = "", mapping=None, source_name: str = ""
) -> Plan:
    """The dry run of a back-office statistics import. Without ``platform``
    the file must name the platform and account on each row."""
    table = tabular.read_table(file)
    columns = channel_columns(platform_in_file=not platform)
    mapping = mapping if mapping is not None else tabular.guess_mapping(table.headers, columns)
    keys = ("month", "language") if platform else ("month", "platform", "account", "language")
    result = tabular.validate(table, columns, mapping, unique=keys)
    plan = Plan(
        "channel_stats",
        fiscal.year,
        columns,
        mapping,
        table.headers,
        preview_headers=[
            "行",
            "操作",
            "平台",
            "账号",
            "月份",
            "发布数",
            "阅读/观看",
            "粉丝数",
            "净增",
            "直播场次",
            "直播观看",
        ],
        errors=list(result.errors),
        empty_rows=result.empty_rows,
        source_name=source_name,
    )
    if platform and platform not in Platform.values:
        raise PerformanceRefused(f"不是已知的平台：{platform}。")
    if platform and not account.strip():
        raise PerformanceRefused("请填写账号名称。")
    for row in result.rows:
        number = row[tabular.ROW_KEY]
        year, month = row["month"]
        if year is not None and year != fiscal.year:
            plan.errors.append(RowError(number, "月份", f"属于{year}年，不是正在导入的{fiscal.year}年。"))
            continue
        values = {name: row.get(name) for name in COUNT_FIELDS}
        if all(value is None for value in values.values()):
            plan.errors.append(RowError(number, "", "没有任何统计数字。"))
            continue
        key = {
            "platform": platform or row["platform"],
            "account": (account or row["account"]).strip()[:100],
            "language": row.get("language") or "zh-hans",
            "year": fiscal.year,
            "month": month,
        }
        stat = ChannelStat.objects.filter(**key).first()
        if stat is None:
            stat = ChannelStat(**key)
        else:
            plan.updates += 1
        for name, value in values.items():
            if value is not None:
                setattr(stat, name, value)
        plan.writes.append(stat)
        plan.preview.append(
            [str(number), "更新" if stat.pk else "新增", Platform(key["platform"]).label, key["account"], f"{month}月"]
            + ["" if getattr(stat, name) is None else str(getattr(stat, name)) for name in COUNT_FIELDS]
        )
    plan.errors.sort(key=lambda e: e.row_number)
    return plan


# ------------------------------------------------------------------ writing


def apply(user, plan: Plan) -> int:
    """Write a plan without errors, all rows or none; returns the rows written."""
    model = Expenditure if plan.kind == "expenditures" else ChannelStat
    require(user, f"performance.add_{model._meta.model_name}")
    if plan.kind == "channel_stats" and plan.updates:
        require(user, "performance.change_channelstat")
    if plan.errors:
        raise PerformanceRefused(f"文件有 {len(plan.errors)} 处错误，未导入任何数据；请改正后重新上传。")
    if not plan.writes:
        raise PerformanceRefused("文件中没有可导入的数据行。")
    with transaction.atomic():
        if plan.kind == "expenditures":
            Expenditure.objects.bulk_create(plan.writes)
        else:
            for stat in plan.writes:
                stat.save()
        audit.record(
            f"performance.import.{plan.kind}",
            FiscalYear.objects.get(year=plan.year),
            actor=user,
            data={"file": plan.source_name, "rows": len(plan.writes), "updated": plan.updates},
        )
    return len(plan.writes)
