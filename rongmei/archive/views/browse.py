"""Browse and search the archive: a thumbnail grid with filters, faceted
counts (both from :mod:`rongmei.archive.browse`, shared with the API) and
bulk edit of the selected assets."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rongmei.archive import catalogue
from rongmei.archive.browse import SEARCH_LIMIT, Selection, find
from rongmei.archive.views.common import (
    CHANGE,
    VIEW,
    event_names,
    kind_icon,
    photographer_names,
    require,
    thumbnail_url,
    visible_assets,
)
from rongmei.archive.views.forms import BulkEditForm

PER_PAGE = 48


def _cards(assets) -> list[dict]:
    return [
        {
            "asset": asset,
            "url": reverse("archive:asset", args=[asset.pk]),
            "thumbnail": thumbnail_url(asset),
            "icon": kind_icon(asset),
        }
        for asset in assets
    ]


@require(VIEW)
def browse(request):
    user = request.user
    selection = Selection(request.GET)
    visible = visible_assets(user)
    bulk_form = None
    can_edit = user.has_perm(CHANGE)

    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        bulk_form = BulkEditForm(request.POST)
        changed = _bulk_edit(request, bulk_form, visible)
        if changed is not None:
            messages.success(
                request,
                ngettext("%(count)s asset changed.", "%(count)s assets changed.", changed) % {"count": changed},
            )
            return redirect(request.get_full_path())

    found = find(user, selection, page=request.GET.get("p"), per_page=PER_PAGE)

    for error in selection.errors:
        messages.error(request, error)
    context = {
        "page_title": _("Media archive"),
        "header_icon": "image",
        "selection": selection,
        "facets": found.facets,
        "page": found.page,
        "page_links": _page_links(selection, found.page),
        "cards": _cards(found.assets),
        "count": found.count,
        "search_capped": found.search_capped,
        "search_limit": SEARCH_LIMIT,
        "sorts": [
            ("uploaded", _("Newest uploads")),
            ("date", _("Date (newest first)")),
            ("title", _("Title")),
        ],
        "can_edit": can_edit,
        "can_upload": user.has_perm("archive.add_asset"),
        "bulk_form": bulk_form or BulkEditForm(),
        "selected": {int(v) for v in request.POST.getlist("asset") if v.isdigit()},
        "clear_url": reverse("archive:browse"),
        "events": event_names(),
        "photographers": photographer_names(visible),
    }
    return TemplateResponse(request, "archive/browse.html", context)


def _page_links(selection, page):
    links = {}
    if page.has_previous():
        links["previous"] = _with_page(selection, page.previous_page_number())
    if page.has_next():
        links["next"] = _with_page(selection, page.next_page_number())
    return links


def _with_page(selection, number) -> str:
    params = [(key, v) for key in selection.params if key != "p" for v in selection.params.getlist(key)]
    return "?" + urlencode([*params, ("p", number)])


def _bulk_edit(request, form, visible) -> int | None:
    """Apply the bulk form to the selected assets; the count, or None when refused."""
    ids = [int(v) for v in request.POST.getlist("asset") if v.isdigit()]
    assets = visible.filter(pk__in=ids)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: correct the fields marked below."))
        return None
    data = form.catalogue_data()
    if not ids or not assets.exists():
        messages.error(request, _("Nothing was changed: select at least one asset."))
        return None
    if not data:
        messages.error(request, _("Nothing was changed: fill in at least one field to apply."))
        return None
    try:
        return catalogue.bulk_edit(assets, data, user=request.user)
    except ValidationError as error:
        form.add_catalogue_errors(error)
        details = "；".join(
            f"{form.fields[field].label if field in form.fields else field}：{message}"
            for field, messages_ in error.message_dict.items()
            for message in messages_
        )
        messages.error(request, _("Nothing was changed: %(errors)s") % {"errors": details})
        return None
