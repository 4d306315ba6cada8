"""Originals and renditions, served only after the permission check.

The archive storage is never exposed by URL on its own: every file goes
through :func:`serve_file`, which looks the asset up among those the user
may see. A local storage is streamed from disk (with byte ranges, so that
a video can be sought); an object store whose URLs are absolute (S3,
presigned and short-lived) is answered with a redirect to a signed link."""

import re
from pathlib import PurePath
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.views.decorators.http import require_GET

from rongmei.archive.models import Rendition
from rongmei.archive.views.common import get_visible_asset
from rongmei.core.ranges import range_response

KINDS = ("original", *Rendition.RenditionKind.values)
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "mp4": "video/mp4", "webp": "image/webp"}


def _disposition(filename: str, attachment: bool) -> str:
    kind = "attachment" if attachment else "inline"
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@require_GET
def serve_file(request, pk, kind):
    asset = get_visible_asset(request.user, pk)
    if kind == "original":
        field, content_type, filename = asset.original, asset.mime_type, asset.original_name
    else:
        rendition = asset.renditions.filter(kind=kind).first() if kind in KINDS else None
        if rendition is None:
            raise Http404
        field = rendition.file
        extension = PurePath(field.name).suffix.lstrip(".").lower()
        content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
        filename = f"{PurePath(asset.original_name).stem}-{kind}.{extension}"
    storage, name = field.storage, field.name
    attachment = bool(request.GET.get("download"))
    disposition = _disposition(filename, attachment)

    try:
        url = storage.url(name, parameters={"ResponseContentDisposition": disposition})
    except TypeError:  # storages whose url() takes no parameters
        url = storage.url(name)
    except Exception:  # a local storage without a base URL
        url = ""
    if re.match(r"^https?://", url or ""):
        return HttpResponseRedirect(url)

    try:
        size = storage.size(name)
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None

    response = range_response(handle, size, request.headers.get("Range", ""), content_type)
    if response is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
