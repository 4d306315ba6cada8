"""Versions in the admin: the generate page and the previews (the editor's
Versions tab itself is in ``rongmei.stories.views.STORY_PANELS``)."""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from wagtail import hooks

from rongmei.versions import views

urlpatterns = [
    path("stories/<int:pk>/generate/", views.generate_view, name="generate"),
    path("stories/<int:pk>/preview/<int:version_id>/", views.preview_view, name="preview"),
    path("stories/<int:pk>/versions/<int:version_id>/suggest/", views.suggest_view, name="suggest"),
    path("stories/<int:pk>/channels/<int:channel_id>/preview/", views.channel_preview_view, name="channel_preview"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("versions/", include((urlpatterns, "versions"), namespace="versions"))]


@hooks.register("insert_global_admin_css")
def versions_css():
    return format_html('<link rel="stylesheet" href="{}">', static("versions/admin.css"))
