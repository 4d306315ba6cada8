"""The archive's admin URLs, under ``/admin/archive/`` (namespace ``archive``)."""

from django.urls import path

from rongmei.archive.views import asset, browse, files, upload

app_name = "archive"

urlpatterns = [
    path("", browse.browse, name="browse"),
    path("upload/", upload.upload, name="upload"),
    path("assets/<int:pk>/", asset.asset_view, name="asset"),
    path("assets/<int:pk>/file/<slug:kind>/", files.serve_file, name="file"),
    path("keywords/", asset.keywords_view, name="keywords"),
]
