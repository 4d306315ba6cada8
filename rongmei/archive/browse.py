"""Finding assets: the filters and faceted counts shared by the admin's
browse page and the API, over ``Asset.objects.visible_to(user)``.

Filters (all optional, combined with AND): ``kind``, ``date_from`` and
``date_to`` (the catalogue date), ``event`` (id), ``person`` (id), ``photographer``
(exact name), ``rights`` (own, licensed, restricted, or ``expired``: rights
that ended before today), ``orientation``, and ``q``, Chinese full text
through :func:`rongmei.core.search.search`."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from rongmei.archive.models import Asset, Event, Kind, Orientation, Person, Rights
from rongmei.core.search import search

EXPIRED = "expired"
# A query's facets are counted over at most this many of its best matches.
FACET_SEARCH_LIMIT = 2000


@dataclass
class Page:
    items: list
    total: int | None  # None: a full-text query, counted only up to FACET_SEARCH_LIMIT
    facets: dict


def _date(name: str, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {name: _("“%(value)s” is not a date; write it as 2024-10-01.") % {"value": value}}
        ) from None


def _choice(name: str, value: str, choices) -> str:
    if value not in choices:
        raise ValidationError(
            {name: _("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": ", ".join(choices)}}
        )
    return value


def _number(name: str, value: str) -> int:
    if not str(value).isdigit():
        raise ValidationError({name: _("“%(value)s” is not a number.") % {"value": value}})
    return int(value)


def apply_filters(queryset, params: Mapping):
    """``queryset`` narrowed by the filters in ``params``; a bad value raises ValidationError naming it."""
    value = lambda name: (params.get(name) or "").strip()  # noqa: E731
    if value("kind"):
        queryset = queryset.filter(kind=_choice("kind", value("kind"), Kind.values))
    if value("date_from"):
        queryset = queryset.filter(date__gte=_date("date_from", value("date_from")))
    if value("date_to"):
        queryset = queryset.filter(date__lte=_date("date_to", value("date_to")))
    if value("event"):
        queryset = queryset.filter(event_id=_number("event", value("event")))
    if value("person"):
        queryset = queryset.filter(people__id=_number("person", value("person")))
    if value("photographer"):
        queryset = queryset.filter(photographer=value("photographer"))
    if value("rights"):
        rights = _choice("rights", value("rights"), [*Rights.values, EXPIRED])
        queryset = queryset.rights_expired() if rights == EXPIRED else queryset.filter(rights=rights)
    if value("orientation"):
        queryset = queryset.filter(orientation=_choice("orientation", value("orientation"), Orientation.values))
    return queryset


def facets(queryset) -> dict[str, list[dict]]:
    """Counts by type, rights (with expired), orientation, event, person and photographer."""

    def counts(field, labels=None, limit=None):
        rows = queryset.exclude(**{f"{field}__isnull": True}).exclude(**{f"{field}__in": [""]} if labels else {})
        rows = rows.order_by().values(field).annotate(n=Count("pk", distinct=True)).order_by("-n", field)
        rows = [row for row in (rows[:limit] if limit else rows) if row[field] not in (None, "")]
        return [
            {"value": row[field], "label": (labels or {}).get(row[field], row[field]), "count": row["n"]}
            for row in rows
        ]

    events = counts("event", limit=20)
    names = dict(Event.objects.filter(pk__in=[e["value"] for e in events]).values_list("pk", "name"))
    for entry in events:
        entry["label"] = names.get(entry["value"], entry["value"])
    people = counts("people", limit=20)
    names = dict(Person.objects.filter(pk__in=[p["value"] for p in people]).values_list("pk", "name"))
    for entry in people:
        entry["label"] = names.get(entry["value"], entry["value"])
    rights = counts("rights", dict(Rights.choices))
    expired = queryset.filter(rights_expire_on__lt=timezone.localdate()).count()
    if expired:
        rights.append({"value": EXPIRED, "label": _("Rights expired"), "count": expired})
    return {
        "kind": counts("kind", dict(Kind.choices)),
        "rights": rights,
        "orientation": counts("orientation", dict(Orientation.choices)),
        "event": events,
        "person": people,
        "photographer": counts("photographer", limit=20),
    }


def find(user, params: Mapping, *, limit: int = 60, offset: int = 0, with_facets: bool = True) -> Page:
    """One page of the assets ``user`` may see that match ``params``."""
    queryset = apply_filters(Asset.objects.visible_to(user), params)
    query = (params.get("q") or "").strip()
    if query:
        found = search(queryset, query, limit=FACET_SEARCH_LIMIT if with_facets else offset + limit)
        items = found[offset : offset + limit]
        scope = Asset.objects.filter(pk__in=[asset.pk for asset in found])
        return Page(items, None, facets(scope) if with_facets else {})
    ordered = queryset.order_by("-date", "-uploaded_at", "-pk")
    items = list(ordered.select_related("event").prefetch_related("renditions")[offset : offset + limit])
    return Page(items, queryset.count(), facets(queryset) if with_facets else {})
