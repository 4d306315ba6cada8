"""Performance management (绩效管理): the center's budget and spending per
fiscal year, its indicator system (configured per year as data), the
output ledger the indicators count, the problems found and their
rectification, and the narrative text blocks of the annual
self-evaluation report (部门整体支出绩效自评报告).

Money is stored in 万元 (ten thousand yuan) with six decimals, so one 元
is still exact (0.0001 万元) and every figure of the report, which is
written in 万元, is the stored value itself. Imports that receive 元
convert on the way in (see :mod:`rongmei.performance.imports`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 18, "decimal_places": 6}
ZERO = Decimal(0)
MONTHS = [(m, f"{m}月") for m in range(1, 13)]

# 双监控: execution expected by a month (cumulative %, the latest checkpoint
# at or before the month applies) and the largest gap allowed between
# target progress and budget execution, in percentage points.
DEFAULT_THRESHOLDS = {"4": 25, "6": 40, "8": 60, "10": 80}
DEFAULT_GAP = 10


class FiscalYear(models.Model):
    class Denominator(models.TextChoices):
        INITIAL = "initial", _("Initial budget (年初预算)")
        ADJUSTED = "adjusted", _("Full-year budget incl. adjustments and carry-over")

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=[MinValueValidator(2000)])
    unit_name = models.CharField(_("unit"), max_length=100, default="", blank=True)
    fixed_assets_total = models.DecimalField(_("fixed assets total (万元)"), default=ZERO, **MONEY)
    fixed_assets_inventory_date = models.DateField(_("date of the last inventory"), null=True, blank=True)
    difference_denominator = models.CharField(
        _("denominator of the budget–final-accounts difference rate"),
        max_length=10,
        choices=Denominator.choices,
        default=Denominator.INITIAL,
    )
    thresholds = models.JSONField(
        _("execution thresholds"),
        default=dict,
        blank=True,
        help_text=_('Expected cumulative execution (%) by month, e.g. {"4": 25, "6": 40}; empty for the defaults.'),
    )
    gap_threshold = models.DecimalField(
        _("largest gap between target progress and execution (points)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_GAP,
    )

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"

    def monitoring_thresholds(self) -> dict[int, Decimal]:
        raw = self.thresholds or DEFAULT_THRESHOLDS
        return {int(month): Decimal(str(value)) for month, value in sorted(raw.items(), key=lambda kv: int(kv[0]))}

    def clean(self):
        try:
            thresholds = self.monitoring_thresholds()
        except (TypeError, ValueError, AttributeError, ArithmeticError):
            raise ValidationError({"thresholds": _("Write the thresholds as month: percent pairs.")}) from None
        if any(not 1 <= month <= 12 or not 0 <= value <= 100 for month, value in thresholds.items()):
            raise ValidationError({"thresholds": _("Months are 1–12 and percentages 0–100.")})


class BudgetLine(models.Model):
    """One line of the year's budget: 基本支出 (人员经费 or 公用经费) or one
    named project (项目支出). ``final_amount`` is the final accounts (决算);
    empty until they are closed, then the measures use it instead of the
    sum of the monthly expenditures."""

    class Kind(models.TextChoices):
        PERSONNEL = "personnel", _("Basic expenditure: personnel (人员经费)")
        PUBLIC = "public", _("Basic expenditure: public (公用经费)")
        PROJECT = "project", _("Project expenditure (项目支出)")

    BASIC = (Kind.PERSONNEL, Kind.PUBLIC)

    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50, blank=True)
    initial = models.DecimalField(_("initial budget (年初预算, 万元)"), default=ZERO, **MONEY)
    adjustment = models.DecimalField(_("adjustments (本年追加/调整, 万元)"), default=ZERO, **MONEY)
    carry_over = models.DecimalField(_("carried over from last year (上年结转, 万元)"), default=ZERO, **MONEY)
    final_amount = models.DecimalField(_("final accounts (决算, 万元)"), null=True, blank=True, **MONEY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="performance_budgetline_unique_name")]

    def __str__(self):
        return f"{self.year.year} {self.name}"

    @property
    def available(self) -> Decimal:
        return self.initial + self.adjustment + self.carry_over


class Expenditure(models.Model):
    """Money spent on a budget line in a month (entered, or imported from
    the finance system's export: then ``voucher`` keeps its voucher number
    so that importing the same export twice is refused)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported")

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="expenditures")
    month = models.PositiveSmallIntegerField(
        _("month"), choices=MONTHS, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(_("amount (万元)"), **MONEY)
    voucher = models.CharField(_("voucher"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["line", "month", "pk"]
        # Covering: a year's spending per line is summed from the index alone.
        indexes = [models.Index(fields=["line", "month", "amount"], name="performance_exp_line_month")]

    def __str__(self):
        return f"{self.line.name} {self.month}月 {self.amount}"


# ------------------------------------------------------------------ indicators


class IndicatorTemplate(models.Model):
    """A reusable indicator system (the national reference framework ships
    as the default); a year gets an editable copy."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("indicator template")
        verbose_name_plural = _("indicator templates")
        ordering = ["-is_default", "name"]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """One node of a three-level indicator tree (一级 → 二级 → 三级); only
    third-level indicators are scored, the upper levels group them. It
    belongs to a template or to a fiscal year, never both."""

    class Direction(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "=", "="

    class Rule(models.TextChoices):
        PROPORTIONAL = "proportional", _("Proportional")
        BANDED = "banded", _("Banded")
        QUALITATIVE = "qualitative", _("Qualitative bands")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        METRIC = "metric", _("Platform metric")

    class Grade(models.TextChoices):
        MET = "met", _("Met (达成, 100–80%)")
        PARTLY = "partly", _("Partly met (部分达成, 80–60%)")
        NOT_MET = "not_met", _("Not met (未达成, 60–0%)")

    template = models.ForeignKey(
        IndicatorTemplate, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3, default=ZERO)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(_("direction"), max_length=2, choices=Direction.choices, default=Direction.AT_LEAST)
    tolerance = models.DecimalField(
        _("tolerance (% of the target, for =)"), max_digits=7, decimal_places=3, default=ZERO
    )
    rule = models.CharField(_("scoring rule"), max_length=15, choices=Rule.choices, default=Rule.PROPORTIONAL)
    bands = models.JSONField(
        _("bands"),
        default=list,
        blank=True,
        help_text=_(
            "For banded scoring: [[bound, share of the weight in %], …] in order; the first bound the actual "
            "value reaches in the indicator's direction gives the share."
        ),
    )
    source = models.CharField(_("data source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    metric = models.CharField(_("metric"), max_length=60, blank=True)
    manual_value = models.DecimalField(_("actual value"), max_digits=20, decimal_places=4, null=True, blank=True)
    grade = models.CharField(_("qualitative grade"), max_length=10, choices=Grade.choices, blank=True)
    grade_share = models.DecimalField(
        _("share of the weight within the band (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    adjustment = models.DecimalField(_("manual adjustment (points)"), max_digits=7, decimal_places=3, default=ZERO)
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["level", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(template__isnull=True) & models.Q(year__isnull=False))
                | (models.Q(template__isnull=False) & models.Q(year__isnull=True)),
                name="performance_indicator_template_xor_year",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from rongmei.performance.metrics import REGISTRY

        errors = {}
        if self.level > 1 and self.parent_id is None:
            errors["parent"] = _("A second- or third-level indicator needs a parent.")
        if self.parent is not None and self.parent.level != self.level - 1:
            errors["parent"] = _("The parent must be one level up.")
        if self.source == self.Source.METRIC and self.metric not in REGISTRY:
            errors["metric"] = _("Choose a metric of the registry.")
        if self.rule == self.Rule.BANDED:
            try:
                [(Decimal(str(bound)), Decimal(str(share))) for bound, share in self.bands]
            except (TypeError, ValueError, ArithmeticError):
                errors["bands"] = _("Write the bands as [[bound, share], …].")
        if self.rule == self.Rule.QUALITATIVE and self.grade:
            low, high = GRADE_BANDS[self.grade]
            if self.grade_share is None or not low <= self.grade_share <= high:
                errors["grade_share"] = _("Choose a share within the grade's band (%(low)s–%(high)s).") % {
                    "low": low,
                    "high": high,
                }
            if not self.reason.strip():
                errors["reason"] = _("Write the reason for the grade.")
        if self.adjustment and not self.adjustment_reason.strip():
            errors["adjustment_reason"] = _("Write the reason for the adjustment.")
        if errors:
            raise ValidationError(errors)


GRADE_BANDS = {
    Indicator.Grade.MET: (Decimal(80), Decimal(100)),
    Indicator.Grade.PARTLY: (Decimal(60), Decimal(80)),
    Indicator.Grade.NOT_MET: (Decimal(0), Decimal(60)),
}


# ------------------------------------------------------------------ output ledger


class Platform(models.TextChoices):
    """The outlets whose back-office statistics the ledger keeps (the same
    codes as :class:`rongmei.distribution.models.ChannelKind`)."""

    WECHAT_MP = "wechat_mp", _("WeChat official account")
    WEIBO = "weibo", _("Weibo")
    DOUYIN = "douyin", _("Douyin")
    KUAISHOU = "kuaishou", _("Kuaishou")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")
    CCTV_VIDEO = "cctv_video", _("CCTV Video")
    WEBSITE = "website", _("Government website")


COUNT_COLUMNS = ["posts", "reads", "followers", "follower_growth", "live_streams", "live_views"]


class ChannelStat(models.Model):
    """One account's figures for one month, from the platform's back office
    (entered, or imported from its export). Where a row exists for a
    platform, language and month, it replaces what the platform counts of
    its own records for that month (see :mod:`rongmei.performance.metrics`).
    An empty figure means "not reported", not zero."""

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    account = models.CharField(_("account"), max_length=100)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), choices=MONTHS)
    posts = models.PositiveIntegerField(_("posts"), null=True, blank=True)
    reads = models.PositiveBigIntegerField(_("reads or views"), null=True, blank=True)
    followers = models.PositiveBigIntegerField(_("followers at the end of the month"), null=True, blank=True)
    follower_growth = models.BigIntegerField(_("follower growth"), null=True, blank=True)
    live_streams = models.PositiveIntegerField(_("live streams"), null=True, blank=True)
    live_views = models.PositiveBigIntegerField(_("live-stream views"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel statistics")
        verbose_name_plural = _("channel statistics")
        ordering = ["year", "month", "platform", "account"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "account", "language", "year", "month"], name="performance_channelstat_unique"
            )
        ]
        # Covering, in the order metrics.ledger_table groups by: a year's ledger
        # is summed from the index alone, without sorting.
        indexes = [
            models.Index(fields=["year", "platform", "language", "month", *COUNT_COLUMNS], name="performance_stat_year")
        ]

    def __str__(self):
        return f"{self.get_platform_display()} {self.account} {self.year}-{self.month:02d}"


class Placement(models.Model):
    """刊播登记: a piece carried by another outlet. ``quantity`` lets one row
    stand for a batch (a month's pieces in municipal media, say) where a
    center registers totals rather than each piece."""

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central (中央)")
        MUNICIPAL = "municipal", _("Municipal (市属)")
        ONLINE = "online", _("Online (网络)")

    outlet = models.CharField(_("outlet"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    programme = models.CharField(_("programme"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    link = models.URLField(_("link"), max_length=500, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["date"], name="performance_placement_date")]

    def __str__(self):
        return f"{self.outlet} {self.date} {self.title}"


class Award(models.Model):
    name = models.CharField(_("award"), max_length=200)
    prize = models.CharField(_("prize"), max_length=100, blank=True)
    work = models.CharField(_("work"), max_length=300)
    date = models.DateField(_("date awarded"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"{self.name} {self.prize} {self.work}"


class Publication(models.Model):
    """An issue of the newspaper or the periodical, or an episode of the TV
    programme (``issues`` > 1: a batch registered as one row)."""

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", _("Newspaper")
        PERIODICAL = "periodical", _("Periodical")
        TV = "tv", _("TV programme")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    date = models.DateField(_("date"))
    issues = models.PositiveIntegerField(_("issues or episodes"), default=1)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    articles = models.PositiveIntegerField(_("articles"), default=0)
    images = models.PositiveIntegerField(_("images"), default=0)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["kind", "date"], name="performance_publication_date")]

    def __str__(self):
        return f"{self.title} {self.date}"


# ------------------------------------------------------------------ problems and text


class Problem(models.Model):
    """问题—措施—验证—优化: a problem found, what is done about it, who, by
    when, and how the result was verified. An item not closed appears in
    every later year's report until it is."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        VERIFIED = "verified", _("Verified")
        CLOSED = "closed", _("Closed")

    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="problems")
    problem = models.TextField(_("problem"))
    cause = models.TextField(_("cause"), blank=True)
    measures = models.TextField(_("measures"), blank=True)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    verification = models.TextField(_("verification result"), blank=True)
    optimisation = models.TextField(_("optimisation"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["year", "pk"]

    def __str__(self):
        return self.problem[:60]


class TextBlock(models.Model):
    """One narrative paragraph group of the report for a year, with
    placeholders for figures (see :mod:`rongmei.performance.placeholders`)."""

    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="text_blocks")
    key = models.CharField(_("section"), max_length=50)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("text block")
        verbose_name_plural = _("text blocks")
        ordering = ["year", "key"]
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="performance_textblock_unique")]

    def __str__(self):
        return f"{self.year.year} {self.key}"
