from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from rongmei.api import api
from rongmei.core.views.health import healthz
from rongmei.website import views as website_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # WeChat's PUBLISHJOBFINISH events (signed; see rongmei.distribution.wechat_callback).
    path("channels/wechat/", include("rongmei.distribution.wechat_callback")),
    # The built-in government website: its public pictures and videos, crawl files, then its pages.
    path("site-media/", include("rongmei.website.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", website_views.robots, name="robots"),
    # 政民互动: the public message form and lookup (/hudong/, /en/interaction/).
    path("", include("rongmei.interaction.urls")),
    # Wagtail's page serving, behind the cache of whole pages by address.
    re_path(wagtail_urls.serve_pattern, website_views.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

# "Page not found" in the language of the website the address belongs to.
handler404 = "rongmei.website.views.page_not_found"
