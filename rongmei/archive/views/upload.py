"""The admin upload: many files at once, each posted on its own by the
page's script (``static/archive/upload.js``) with its progress shown, so
that one refused file never stops the others.

Each POST carries one file and the catalogue values of the form, and is
answered with JSON: ``{"ok", "asset", "duplicate", "message", "url"}``."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from rongmei.archive import ingest
from rongmei.archive.views.common import ADD, event_names, photographer_names, require, visible_assets
from rongmei.archive.views.forms import UploadForm


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "asset": None, "duplicate": False, "message": message}, status=status)


@require(ADD, json=True)
def upload(request):
    if request.method != "POST":
        return TemplateResponse(
            request,
            "archive/upload.html",
            {
                "page_title": _("Upload to the media archive"),
                "header_icon": "upload",
                "form": UploadForm(),
                "upload_url": reverse("archive:upload"),
                "browse_url": reverse("archive:browse"),
                "events": event_names(),
                "photographers": photographer_names(visible_assets(request.user)),
            },
        )

    uploaded = request.FILES.get("file")
    if uploaded is None:
        return _refused(_("No file was received. Choose a file and try again."))
    form = UploadForm(request.POST)
    if not form.is_valid():
        errors = "；".join(f"{form.fields[f].label}：{' '.join(m)}" for f, m in form.errors.items() if f in form.fields)
        return _refused(errors or _("The catalogue values are not valid."))
    try:
        result = ingest.ingest_upload(uploaded, user=request.user, catalogue=form.catalogue_data())
    except ingest.IngestError as error:
        return _refused(error.message)
    except ValidationError as error:
        details = "；".join(
            f"{form.fields[field].label if field in form.fields else field}：{' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        return _refused(details)
    asset = result.asset
    visible = visible_assets(request.user).filter(pk=asset.pk).exists()
    if result.duplicate:
        message = _("Already in the archive: “%(asset)s”.") % {"asset": asset if visible else asset.pk}
    else:
        message = _("Uploaded.")
    return JsonResponse(
        {
            "ok": True,
            "asset": asset.pk,
            "duplicate": result.duplicate,
            "message": message,
            "url": reverse("archive:asset", args=[asset.pk]) if visible else None,
            "title": str(asset) if visible else "",
        }
    )
