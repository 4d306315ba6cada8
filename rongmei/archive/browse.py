"""Finding assets: the filters, the faceted counts and the paging shared by
the admin's browse page and the API, over ``Asset.objects.visible_to(user)``.

Filters are parameters (a query string): a dimension may be given several
values (``kind=photo&kind=video``), which are alternatives, while dimensions
combine. The dimensions are ``kind``, ``event`` (id), ``person`` (id),
``photographer``, ``rights`` (own, licensed, restricted, or ``expired``:
rights that ended before today) and ``orientation``, plus ``date_from`` and
``date_to`` (the catalogue date). The count next to each value of a
dimension is the number of assets there would be with that value selected
in addition, given every other filter: for a dimension not yet filtered
that is simply how many of the current results have the value.

A search (``q``) is answered by :func:`rongmei.core.search.search`, with the
same Chinese segmentation as stories, over the assets the user may see; the
results keep its ranking, and the filters and facets apply to its best
``SEARCH_LIMIT`` matches."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rongmei.archive.models import Asset, Event, Kind, Orientation, Person, Rights
from rongmei.core.search import search

SEARCH_LIMIT = 2000
FACET_LIMIT = 30
EXPIRED = "expired"
DIMENSIONS = ("kind", "event", "person", "photographer", "rights", "orientation")
SORTS = {"uploaded": ("-uploaded_at", "-id"), "date": ("-date", "-uploaded_at", "-id"), "title": ("title", "id")}


class Selection:
    """The filters of a request: what is selected in each dimension, the
    date range and the search words."""

    def __init__(self, params):
        self.params = params
        self.values = {dimension: [v for v in params.getlist(dimension) if v.strip()] for dimension in DIMENSIONS}
        self.query = params.get("q", "").strip()[:200]
        self.sort = params.get("sort") if params.get("sort") in SORTS else "uploaded"
        self.errors = []
        self.date_from = self._date("date_from", _("From"))
        self.date_to = self._date("date_to", _("To"))

    def _date(self, name, label):
        value = self.params.get(name, "").strip()
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.errors.append(
                _("%(field)s: “%(value)s” is not a date; write it as 2024-10-01.") % {"field": label, "value": value}
            )
            return None

    @property
    def active(self) -> bool:
        return bool(self.query or self.date_from or self.date_to or any(self.values.values()))

    def condition(self, dimension) -> Q:
        values = self.values[dimension]
        if not values:
            return Q()
        if dimension == "kind":
            return Q(kind__in=values)
        if dimension == "event":
            return Q(event_id__in=[int(v) for v in values if v.isdigit()])
        if dimension == "person":
            ids = [int(v) for v in values if v.isdigit()]
            return Q(pk__in=Asset.people.through.objects.filter(person_id__in=ids).values("asset_id"))
        if dimension == "photographer":
            return Q(photographer__in=values)
        if dimension == "rights":
            condition = Q(rights__in=[v for v in values if v != EXPIRED])
            if EXPIRED in values:
                condition |= Q(rights_expire_on__lt=timezone.localdate())
            return condition
        if dimension == "orientation":
            return Q(orientation__in=values)
        raise ValueError(dimension)

    def apply(self, queryset, *, leave_out: str | None = None):
        if self.date_from:
            queryset = queryset.filter(date__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(date__lte=self.date_to)
        for dimension in DIMENSIONS:
            if dimension != leave_out:
                queryset = queryset.filter(self.condition(dimension))
        return queryset

    # -- links

    def url(self, **changes) -> str:
        """This page's URL with some parameters changed (a list replaces, None removes); back to page 1."""
        params = {key: self.params.getlist(key) for key in self.params if key != "p"}
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value if isinstance(value, list) else [value]
        query = urlencode([(key, v) for key, values in params.items() for v in values])
        return "?" + query if query else "?"

    def toggle_url(self, dimension, value) -> str:
        values = list(self.values[dimension])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return self.url(**{dimension: values or None})


def _facet(selection, dimension, rows, labels=None):
    """The values of a dimension with their counts, the selected first."""
    selected = selection.values[dimension]
    counted = {str(value): count for value, count in rows}
    items = []
    for value, count in counted.items():
        label = (labels or {}).get(value, value)
        items.append(
            {
                "value": value,
                "label": label,
                "count": count,
                "active": value in selected,
                "url": selection.toggle_url(dimension, value),
            }
        )
    for value in selected:  # selected values that no longer match anything stay visible, to be removed
        if value not in counted:
            items.append(
                {
                    "value": value,
                    "label": (labels or {}).get(value, value),
                    "count": 0,
                    "active": True,
                    "url": selection.toggle_url(dimension, value),
                }
            )
    return items


def facets(selection: Selection, base) -> list[dict]:
    """Every dimension with its values and counts, for ``base`` (the assets
    the user may see that match the search and the date range)."""

    def grouped(dimension, field):
        queryset = selection.apply(base, leave_out=dimension).order_by()
        return queryset.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk")).order_by("-n", field)

    result = []
    rows = grouped("kind", "kind")
    result.append({"name": "kind", "label": _("Type"), "items": _facet(selection, "kind", rows, dict(Kind.choices))})

    queryset = selection.apply(base, leave_out="event").order_by()
    rows = list(
        queryset.filter(event__isnull=False)
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[:FACET_LIMIT]
    )
    wanted = {row[0] for row in rows} | {int(v) for v in selection.values["event"] if v.isdigit()}
    names = {str(pk): name for pk, name in Event.objects.filter(pk__in=wanted).values_list("pk", "name")}
    result.append({"name": "event", "label": _("Event"), "items": _facet(selection, "event", rows, names)})

    queryset = selection.apply(base, leave_out="person").order_by()
    through = Asset.people.through.objects.filter(asset_id__in=queryset.values("pk"))
    rows = list(through.values_list("person_id").annotate(n=Count("asset_id")).order_by("-n")[:FACET_LIMIT])
    wanted = {row[0] for row in rows} | {int(v) for v in selection.values["person"] if v.isdigit()}
    names = {str(pk): name for pk, name in Person.objects.filter(pk__in=wanted).values_list("pk", "name")}
    result.append({"name": "person", "label": _("People"), "items": _facet(selection, "person", rows, names)})

    rows = list(grouped("photographer", "photographer")[:FACET_LIMIT])
    result.append(
        {"name": "photographer", "label": _("Photographer"), "items": _facet(selection, "photographer", rows)}
    )

    queryset = selection.apply(base, leave_out="rights").order_by()
    rows = list(queryset.values_list("rights").annotate(n=Count("pk")).order_by("rights"))
    expired = queryset.filter(rights_expire_on__lt=timezone.localdate()).count()
    if expired:
        rows.append((EXPIRED, expired))
    labels = {**dict(Rights.choices), EXPIRED: _("Rights expired")}
    result.append({"name": "rights", "label": _("Usage rights"), "items": _facet(selection, "rights", rows, labels)})

    rows = grouped("orientation", "orientation")
    result.append(
        {
            "name": "orientation",
            "label": _("Orientation"),
            "items": _facet(selection, "orientation", rows, dict(Orientation.choices)),
        }
    )
    return result


@dataclass
class Found:
    page: Page
    assets: list
    count: int
    facets: list[dict]
    search_capped: bool


def find(user, params, *, page=1, per_page: int = 48) -> Found:
    """One page of the assets ``user`` may see that match ``params`` (a QueryDict)."""
    selection = params if isinstance(params, Selection) else Selection(params)
    visible = Asset.objects.visible_to(user)
    base = visible
    ranked = None
    if selection.query:
        ranked = [asset.pk for asset in search(visible.only("pk"), selection.query, limit=SEARCH_LIMIT)]
        base = visible.filter(pk__in=ranked)
    filtered = selection.apply(base)
    if ranked is not None:
        matching = set(filtered.values_list("pk", flat=True))
        paginator = Paginator([pk for pk in ranked if pk in matching], per_page)
        current = paginator.get_page(page)
        loaded = Asset.objects.select_related("event").prefetch_related("renditions").in_bulk(list(current.object_list))
        assets = [loaded[pk] for pk in current.object_list if pk in loaded]
    else:
        ordered = filtered.order_by(*SORTS[selection.sort]).select_related("event").prefetch_related("renditions")
        paginator = Paginator(ordered, per_page)
        current = paginator.get_page(page)
        assets = list(current.object_list)
    return Found(
        page=current,
        assets=assets,
        count=paginator.count,
        facets=facets(selection, base),
        search_capped=ranked is not None and len(ranked) >= SEARCH_LIMIT,
    )


def event_counts(assets) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """How many of ``assets`` there are of each type and by each photographer (most first)."""
    rows = assets.order_by()
    by_kind = rows.values_list("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    by_photographer = rows.values_list("photographer").annotate(n=Count("pk")).order_by("-n", "photographer")
    return list(by_kind), list(by_photographer)
