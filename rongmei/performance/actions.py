"""State changes of performance management: each a named function that
checks the user's permission on the server, works in one transaction and
writes an audit entry. The admin, the API, the importer and the command
line call these; nothing else writes these models."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from rongmei.core import audit
from rongmei.performance import frameworks, placeholders, report, texts
from rongmei.performance.models import (
    BudgetLine,
    Expenditure,
    FiscalYear,
    Indicator,
    IndicatorTemplate,
    TextBlock,
)

VIEW = "performance.view_fiscalyear"
MANAGE_YEARS = "performance.change_fiscalyear"
RECORD_EXPENDITURE = "performance.add_expenditure"


class PerformanceRefused(Exception):
    """An action that cannot be done; ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def perm(model, action: str) -> str:
    return f"performance.{action}_{model._meta.model_name}"


def require(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied


def _changes(instance) -> dict:
    return {k: v for k, v in model_to_dict(instance).items() if not isinstance(v, list | dict) or k == "bands"}


def check_text(text: str) -> None:
    """A text block's placeholders must all exist (raises PerformanceRefused listing the valid names)."""
    try:
        placeholders.check(text, report.placeholder_names())
    except placeholders.PlaceholderError as error:
        raise PerformanceRefused(error.message) from None


def save(user, instance, *, fields: dict | None = None):
    """Create or change one record of the app (a budget line, a ledger row,
    an indicator, a problem, a text block …) after validating it."""
    model = type(instance)
    adding = instance._state.adding
    require(user, perm(model, "add" if adding else "change"))
    for name, value in (fields or {}).items():
        setattr(instance, name, value)
    if isinstance(instance, TextBlock):
        check_text(instance.text)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise PerformanceRefused(
            "；".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in error.message_dict.items())
        ) from None
    with transaction.atomic():
        instance.save()
        audit.record(
            f"performance.{model._meta.model_name}.{'add' if adding else 'change'}",
            instance,
            actor=user,
            data=_changes(instance),
        )
    return instance


def delete(user, instance) -> None:
    model = type(instance)
    require(user, perm(model, "delete"))
    with transaction.atomic():
        audit.record(f"performance.{model._meta.model_name}.delete", instance, actor=user, data=_changes(instance))
        instance.delete()


def record_expenditure(user, line: BudgetLine, *, month: int, amount: Decimal, note: str = "", voucher: str = ""):
    """Finance enters a month's spending on a budget line (万元)."""
    return save(
        user,
        Expenditure(line=line, month=month, amount=Decimal(amount), note=note, voucher=voucher),
    )


def create_year(user, year: int, *, unit_name: str = "", template: IndicatorTemplate | None = None) -> FiscalYear:
    """A new fiscal year: the text blocks of the latest earlier year (else
    the defaults) and, if given, a copy of an indicator template."""
    require(user, "performance.add_fiscalyear")
    if FiscalYear.objects.filter(year=year).exists():
        raise PerformanceRefused(_("The year %(year)s exists already.") % {"year": year})
    previous = FiscalYear.objects.filter(year__lt=year).order_by("-year").first()
    with transaction.atomic():
        fiscal = FiscalYear.objects.create(
            year=year,
            unit_name=unit_name or (previous.unit_name if previous else ""),
            difference_denominator=previous.difference_denominator if previous else FiscalYear.Denominator.INITIAL,
            thresholds=previous.thresholds if previous else {},
        )
        blocks = report.text_blocks(previous) if previous else dict(texts.DEFAULTS)
        TextBlock.objects.bulk_create(TextBlock(year=fiscal, key=key, text=text) for key, text in blocks.items())
        audit.record("performance.fiscalyear.add", fiscal, actor=user, data={"year": year})
        if template is not None:
            _copy_template(user, template, fiscal)
    return fiscal


def _copy_template(user, template, fiscal) -> int:
    tree = frameworks.tree_of(template.indicators.all())
    count = frameworks.write_tree(Indicator, tree, year=fiscal)
    audit.record(
        "performance.indicators.copy_template",
        fiscal,
        actor=user,
        data={"template": template.name, "indicators": count},
    )
    return count


def copy_template(user, template: IndicatorTemplate, fiscal: FiscalYear, *, replace: bool = False) -> int:
    """Copy a template's indicators into a year, where they can be edited;
    a year that has indicators keeps them unless ``replace``."""
    require(user, "performance.add_indicator")
    with transaction.atomic():
        existing = Indicator.objects.filter(year=fiscal)
        if existing.exists():
            if not replace:
                raise PerformanceRefused(
                    _("%(year)s already has indicators; choose to replace them to copy the template.")
                    % {"year": fiscal}
                )
            require(user, "performance.delete_indicator")
            existing.filter(level=3).delete()
            existing.filter(level=2).delete()
            existing.delete()
        return _copy_template(user, template, fiscal)
