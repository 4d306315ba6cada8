from django.urls import include, path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from rongmei.api import api
from rongmei.core.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The public website (issue 7) will take the root; until then it leads to the newsroom.
    path("", RedirectView.as_view(pattern_name="wagtailadmin_home", permanent=False)),
]
