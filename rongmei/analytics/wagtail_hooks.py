from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from rongmei.analytics import panels, views, visits
from rongmei.core.menu import PermissionMenuItem
from rongmei.website import cache as website_cache

urlpatterns = [path("visits/", views.visits, name="visits")]


# After Wagtail's own check of view restrictions (order 0): a visitor sent
# to a password form has not seen the page.
@hooks.register("before_serve_page", order=100)
def count_page_view(page, request, serve_args, serve_kwargs):
    visits.count_request(page, request, serve_args)


@hooks.register(website_cache.CACHED_VIEW_HOOK)
def count_cached_page_view(request, notes):
    visits.count_cached(request, notes)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("analytics/", include((urlpatterns, "analytics"), namespace="analytics"))]


@hooks.register("register_admin_menu_item")
def register_visits_item():
    return PermissionMenuItem(
        _("Website visits"),
        reverse_lazy("analytics:visits"),
        name="website_visits",
        icon_name="view",
        order=325,
        permission=views.VIEW,
    )


@hooks.register("construct_homepage_panels")
def add_panels(request, panels_list):
    if request.user.has_perm(panels.VIEW):
        panels_list.append(panels.InspectionPanel(request))
