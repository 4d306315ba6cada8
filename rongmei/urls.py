from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from rongmei.api import api
from rongmei.core.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # WeChat's PUBLISHJOBFINISH events (signed; see rongmei.distribution.wechat_callback).
    path("channels/wechat/", include("rongmei.distribution.wechat_callback")),
    # The built-in government website: its public pictures and videos, then its pages.
    path("site-media/", include("rongmei.website.urls")),
    path("", include(wagtail_urls)),
]
