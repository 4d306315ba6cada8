"""Catalogue fields (建目): checked and applied the same way for one asset
(admin, API, import) and for many at once (bulk edit).

Input is a dict of plain values, as a form, a JSON body or the import
command gives them. Unknown rights or security values, bad dates and
unknown events or categories are refused with the field named, before
anything is written."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rongmei.archive.models import Asset, Event, Person, Rights, Security
from rongmei.core import audit

TEXT_FIELDS = {
    "title": 200,
    "caption": 5000,
    "location": 200,
    "organisations": 500,
    "photographer": 100,
    "rights_holder": 200,
}
LIST_FIELDS = ("people", "keywords")
FIELDS = (
    *TEXT_FIELDS,
    "event",
    "date",
    "category",
    "rights",
    "rights_expire_on",
    "security",
    "collection",
    *LIST_FIELDS,
)


def _names(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").split(",")
    return list(dict.fromkeys(name.strip() for name in value if name and name.strip()))


def _date(field: str, value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            {field: _("“%(value)s” is not a date; write it as 2024-10-01.") % {"value": value}}
        ) from None


def clean(data: dict) -> dict:
    """The known fields of ``data``, checked and converted."""
    from wagtail.models import Collection

    from rongmei.stories.models import Category

    cleaned, errors = {}, {}
    for field, value in data.items():
        try:
            if field in TEXT_FIELDS:
                text = (value or "").strip()
                if len(text) > TEXT_FIELDS[field]:
                    raise ValidationError({field: _("At most %(limit)s characters.") % {"limit": TEXT_FIELDS[field]}})
                if field == "title" and "<" in text and ">" in text:
                    raise ValidationError({field: _("The title is plain text: remove the HTML tags.")})
                cleaned[field] = text
            elif field in ("date", "rights_expire_on"):
                cleaned[field] = _date(field, value)
            elif field == "rights":
                if value not in Rights.values:
                    raise ValidationError(
                        {
                            field: _("Usage rights must be one of: %(choices)s.")
                            % {"choices": "、".join(str(label) for label in Rights.labels)}
                        }
                    )
                cleaned[field] = value
            elif field == "security":
                if value not in Security.values:
                    raise ValidationError({field: _("Unknown security level “%(value)s”.") % {"value": value}})
                cleaned[field] = value
            elif field == "event":
                cleaned[field] = _event(value)
            elif field == "category":
                cleaned[field] = None if value in (None, "") else _lookup(Category, field, value)
            elif field == "collection":
                cleaned[field] = _lookup(Collection, field, value)
            elif field in LIST_FIELDS:
                cleaned[field] = _names(value)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _event(value):
    if value in (None, ""):
        return None
    if isinstance(value, Event):
        return value
    if isinstance(value, int) or str(value).isdigit():
        event = Event.objects.filter(pk=int(value)).first()
        if event is None:
            raise ValidationError({"event": _("There is no event number %(id)s.") % {"id": value}})
        return event
    name = str(value).strip()[:200]
    return Event.objects.get_or_create(name=name)[0]


def _lookup(model, field, value):
    if isinstance(value, model):
        return value
    found = (
        model.objects.filter(pk=int(value)).first()
        if str(value).isdigit()
        else model.objects.filter(name=value).first()
    )
    if found is None:
        raise ValidationError({field: _("“%(value)s” is not on the list.") % {"value": value}})
    return found


def apply(asset: Asset, data: dict) -> Asset:
    """Check ``data`` and save it on ``asset`` (which may be new)."""
    cleaned = clean(data)
    for field, value in cleaned.items():
        if field not in LIST_FIELDS:
            setattr(asset, field, value)
    asset.full_clean(exclude=["original", "collection"])
    asset.save()
    if "people" in cleaned:
        asset.people.set([Person.objects.get_or_create(name=name[:100])[0] for name in cleaned["people"]])
    if "keywords" in cleaned:
        asset.keywords.set(cleaned["keywords"])
    if set(cleaned) & set(LIST_FIELDS):
        asset.save(update_fields=["title"])  # re-index with the people and keywords
    return asset


@transaction.atomic
def edit(asset: Asset, data: dict, *, user) -> Asset:
    apply(asset, data)
    audit.record("archive.asset.catalogue", asset, actor=user, data={"fields": sorted(data)})
    return asset


@transaction.atomic
def bulk_edit(assets, data: dict, *, user) -> int:
    """Set the given fields on every asset of ``assets``. People and keywords
    are added to what each asset has, not replaced. All or nothing."""
    cleaned = clean(data)
    assets = list(assets)
    people = [Person.objects.get_or_create(name=name[:100])[0] for name in cleaned.get("people", [])]
    count = 0
    for asset in assets:
        for field, value in cleaned.items():
            if field not in LIST_FIELDS:
                setattr(asset, field, value)
        if people:
            asset.people.add(*people)
        if cleaned.get("keywords"):
            asset.keywords.add(*cleaned["keywords"])
        asset.save()  # after the lists, so that the index sees them
        count += 1
    audit.record(
        "archive.asset.bulk_edit",
        actor=user,
        data={"fields": sorted(cleaned), "count": count, "assets": [a.pk for a in assets][:1000]},
    )
    return count
