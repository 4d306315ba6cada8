"""The export package of a delivery to a channel published by hand
(视频号, 央视频, print, TV): downloaded by 运营 and 管理员, audited.

The zip is written to a temporary file in the data dir (a video may be
gigabytes: never in memory, and not in a small ``/tmp``), then streamed."""

import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_GET

from rongmei.core import audit
from rongmei.distribution.channels.manual import export_filename, write_export_package
from rongmei.distribution.models import Delivery

PERMISSIONS = ("distribution.operate_delivery", "distribution.change_channel")


def may_export(user) -> bool:
    return any(user.has_perm(permission) for permission in PERMISSIONS)


@require_GET
def export_package(request, delivery_id: int):
    if not may_export(request.user):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery.objects.select_related("channel"), pk=delivery_id)
    package = tempfile.TemporaryFile(dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None))
    try:
        manifest = write_export_package(delivery, package)
        size = package.tell()
        package.seek(0)
    except BaseException:
        package.close()
        raise
    audit.record(
        "distribution.delivery.export",
        delivery,
        actor=request.user,
        data={"channel": delivery.channel_id, "story": delivery.story_id, "size": size,
              "files": [f["file"] for f in (manifest.get("video"), manifest.get("cover")) if f]},
    )  # fmt: skip
    response = FileResponse(package, as_attachment=True, filename=export_filename(delivery),
                            content_type="application/zip")  # fmt: skip
    response["Content-Length"] = str(size)
    response["Cache-Control"] = "private, no-store"
    return response


app_name = "distribution_manual"
urlpatterns = [path("<int:delivery_id>/export/", export_package, name="export_package")]
