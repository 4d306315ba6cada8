"""What the archive's admin pages share: the permission checks and how an
asset is shown (its thumbnail or an icon, its links)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from rongmei.archive.models import Asset, Kind

VIEW = "archive.view_asset"
ADD = "archive.add_asset"
CHANGE = "archive.change_asset"

KIND_ICONS = {Kind.PHOTO: "image", Kind.VIDEO: "media", Kind.AUDIO: "media", Kind.DOCUMENT: "doc-full"}


def require(permission: str, *, json: bool = False):
    """Refuse the view to whoever lacks ``permission`` (403; as JSON for the upload endpoint)."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                if json:
                    return JsonResponse(
                        {"ok": False, "message": _("You do not have permission to do this.")}, status=403
                    )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    return decorator


def visible_assets(user):
    """Every asset query of the admin starts here: restricted assets stay
    hidden from whoever may not see them."""
    if not user.has_perm(VIEW):
        return Asset.objects.none()
    return Asset.objects.visible_to(user)


def get_visible_asset(user, pk) -> Asset:
    """The asset, or 404 when it does not exist or ``user`` may not see it
    (a hidden asset looks exactly like a missing one)."""
    if not user.has_perm(VIEW):
        raise PermissionDenied
    return get_object_or_404(visible_assets(user).select_related("event", "category", "collection"), pk=pk)


def file_url(asset: Asset, kind: str = "original", *, download: bool = False) -> str:
    url = reverse("archive:file", args=[asset.pk, kind])
    return f"{url}?download=1" if download else url


def thumbnail_url(asset: Asset) -> str | None:
    """The thumbnail's URL, or None while it is being made (or for audio and documents)."""
    return file_url(asset, "thumbnail") if asset.rendition("thumbnail") else None


def kind_icon(asset: Asset) -> str:
    return KIND_ICONS.get(asset.kind, "doc-empty")


def photographer_names(visible, limit: int = 300):
    """The photographers named on the assets ``visible`` (for the forms' suggestions)."""
    names = visible.exclude(photographer="").order_by("photographer").values_list("photographer", flat=True)
    return names.distinct()[:limit]


def event_names(limit: int = 500):
    from rongmei.archive.models import Event

    return Event.objects.order_by("-starts_on", "name").values_list("name", flat=True)[:limit]
