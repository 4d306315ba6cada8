"""The media archive in the Wagtail admin: the 素材库 menu (browse, upload,
events), its pages, the asset chooser and the admin search area."""

from django.urls import include, path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.search import SearchArea

from rongmei.archive.views import urls
from rongmei.archive.views.chooser import asset_chooser
from rongmei.archive.views.events import event_viewset
from rongmei.core.menu import PermissionMenuItem

archive_menu = Menu(register_hook_name="register_archive_menu_item", construct_hook_name="construct_archive_menu")


@hooks.register("register_admin_menu_item")
def register_archive_menu():
    return SubmenuMenuItem(_("Media archive"), archive_menu, icon_name="image", name="archive", order=150)


@hooks.register("register_archive_menu_item")
def register_browse_item():
    return PermissionMenuItem(
        _("Browse and search"),
        reverse_lazy("archive:browse"),
        name="archive_browse",
        icon_name="search",
        order=100,
        permission="archive.view_asset",
    )


@hooks.register("register_archive_menu_item")
def register_upload_item():
    return PermissionMenuItem(
        _("Upload"),
        reverse_lazy("archive:upload"),
        name="archive_upload",
        icon_name="upload",
        order=200,
        permission="archive.add_asset",
    )


@hooks.register("register_admin_urls")
def register_urls():
    return [path("archive/", include((urls.urlpatterns, "archive"), namespace="archive"))]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [event_viewset, asset_chooser]


class ArchiveSearchArea(SearchArea):
    def is_shown(self, request):
        return request.user.has_perm("archive.view_asset")


@hooks.register("register_admin_search_area")
def register_search_area():
    return ArchiveSearchArea(_("Media archive"), reverse("archive:browse"), icon_name="image", order=150)
