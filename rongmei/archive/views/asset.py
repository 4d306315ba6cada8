"""One asset: its preview, technical metadata, catalogue form with
suggested keywords, where it has been used, and its original."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rongmei.archive import catalogue
from rongmei.archive.keywords import suggest_keywords
from rongmei.archive.models import Kind
from rongmei.archive.views.common import (
    CHANGE,
    VIEW,
    event_names,
    file_url,
    get_visible_asset,
    kind_icon,
    photographer_names,
    require,
    visible_assets,
)
from rongmei.archive.views.forms import CatalogueForm


def _preview(asset) -> dict:
    """What the page shows of the asset itself: an image, a video, an audio player or an icon."""
    preview = {"icon": kind_icon(asset)}
    if asset.kind == Kind.PHOTO:
        rendition = asset.rendition("web")
        if rendition:
            preview.update(image=file_url(asset, "web"), width=rendition.width, height=rendition.height)
    elif asset.kind == Kind.VIDEO:
        if asset.rendition("proxy"):
            preview["video"] = file_url(asset, "proxy")
        if asset.rendition("poster"):
            preview["poster"] = file_url(asset, "poster")
        if asset.rendition("strip"):
            preview["strip"] = file_url(asset, "strip")
    elif asset.kind == Kind.AUDIO:
        preview["audio"] = file_url(asset)
        preview["audio_type"] = asset.mime_type
    elif asset.mime_type == "application/pdf":
        preview["document"] = file_url(asset)
    return preview


def _duration(seconds) -> str:
    if seconds is None:
        return ""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _technical(asset) -> list[tuple[str, str]]:
    rows = [
        (_("Type"), asset.get_kind_display()),
        (_("File name"), asset.original_name),
        (_("MIME type"), asset.mime_type),
        (_("Size"), f"{asset.size:,} B"),
        (_("SHA-256"), asset.sha256),
        (
            _("Uploaded"),
            f"{asset.uploaded_at:%Y-%m-%d %H:%M}" + (f" · {asset.uploaded_by}" if asset.uploaded_by else ""),
        ),
    ]
    if asset.width and asset.height:
        rows.append((_("Dimensions"), f"{asset.width} × {asset.height}"))
    optional = [
        (_("Orientation"), asset.get_orientation_display() if asset.orientation else ""),
        (_("Taken at"), f"{asset.taken_at:%Y-%m-%d %H:%M:%S}" if asset.taken_at else ""),
        (_("Camera"), asset.camera),
        (_("Lens"), asset.lens),
        (
            _("GPS"),
            f"{asset.latitude:.6f}, {asset.longitude:.6f}" if asset.latitude is not None and asset.longitude else "",
        ),
        (_("Duration"), _duration(asset.duration)),
        (_("Video codec"), asset.video_codec),
        (_("Audio codec"), asset.audio_codec),
        (_("Frame rate"), f"{asset.frame_rate:g} fps" if asset.frame_rate else ""),
        (_("Bitrate"), f"{asset.bitrate / 1000:,.0f} kbit/s" if asset.bitrate else ""),
    ]
    return rows + [(label, value) for label, value in optional if value]


def _uses(asset) -> list[dict]:
    uses = []
    for link in asset.story_uses.select_related("story").order_by("-story__updated_at"):
        story = link.story
        uses.append(
            {
                "story": story,
                "url": reverse("wagtailsnippets_stories_story:edit", args=[story.pk]),
                "reason": link.rights_override_reason,
            }
        )
    return uses


@require(VIEW)
def asset_view(request, pk):
    asset = get_visible_asset(request.user, pk)
    can_edit = request.user.has_perm(CHANGE)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = CatalogueForm(request.POST)
        if form.is_valid():
            try:
                catalogue.edit(asset, form.catalogue_data(), user=request.user)
            except ValidationError as error:
                form.add_catalogue_errors(error)
            else:
                messages.success(request, _("Catalogue saved."))
                return redirect("archive:asset", pk=asset.pk)
        messages.error(request, _("The catalogue was not saved: correct the fields marked below."))
        asset.refresh_from_db()
    else:
        form = CatalogueForm(initial=CatalogueForm.initial_for(asset))
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True

    caption = form["caption"].value() or ""
    keywords = {k.strip() for k in (form["keywords"].value() or "").replace("，", ",").replace("、", ",").split(",")}
    context = {
        "page_title": str(asset),
        "page_subtitle": asset.get_kind_display(),
        "header_icon": kind_icon(asset),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("archive:browse"), "label": _("Media archive")},
            {"url": "", "label": str(asset)},
        ],
        "header_title": str(asset),
        "asset": asset,
        "form": form,
        "can_edit": can_edit,
        "preview": _preview(asset),
        "technical": _technical(asset),
        "extra_technical": json.dumps(asset.technical, ensure_ascii=False, indent=2) if asset.technical else "",
        "suggested": [word for word in suggest_keywords(caption) if word not in keywords],
        "uses": _uses(asset),
        "download_url": file_url(asset, download=True),
        "renditions": [
            {"label": r.get_kind_display(), "url": file_url(asset, r.kind), "width": r.width, "height": r.height}
            for r in asset.renditions.all()
        ],
        "events": event_names(),
        "photographers": photographer_names(visible_assets(request.user)),
        "keywords_url": reverse("archive:keywords"),
    }
    return TemplateResponse(request, "archive/asset.html", context)


@require_POST
@require(VIEW, json=True)
def keywords_view(request):
    """Suggested keywords for a caption as it is being written."""
    text = request.POST.get("text", "")[:5000]
    return JsonResponse({"keywords": suggest_keywords(text)})
