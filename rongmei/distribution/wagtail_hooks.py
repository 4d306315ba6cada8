from django.db import models
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from rongmei.core.menu import PermissionMenuItem
from rongmei.distribution import views
from rongmei.distribution.models import Channel, Webhook
from rongmei.distribution.panels import DeliveryAlertPanel


class HttpsByDefault:
    """URL fields of the admin forms assume https:// when none is typed."""

    def formfield_for_dbfield(self, db_field, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)


class ChannelViewSet(HttpsByDefault, ModelViewSet):
    model = Channel
    icon = "globe"
    menu_label = _("Channels")
    menu_name = "channels"
    menu_order = 300
    add_to_admin_menu = True
    form_fields = [
        "organisation", "kind", "name", "language", "url", "description", "is_active", "sort_order",
        "transport", "auto_publish", "api_base_url", "proxy_url", "options",
    ]  # fmt: skip
    list_display = ["name", "kind", "language", "transport", "auto_publish", "is_active"]
    list_filter = ["kind", "language", "transport", "is_active"]
    search_fields = ["name", "description"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True


class WebhookViewSet(HttpsByDefault, ModelViewSet):
    model = Webhook
    icon = "link"
    menu_label = _("Outgoing webhooks")
    menu_name = "webhooks"
    add_to_settings_menu = True
    form_fields = ["organisation", "name", "url", "is_active"]
    list_display = ["name", "url", "is_active"]
    search_backend_name = None
    copy_view_enabled = False


urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.delivery_view, name="delivery"),
    path("<int:pk>/<str:action>/", views.act_view, name="act"),
    path("channels/<int:pk>/account/", views.account_view, name="account"),
]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [ChannelViewSet("channels", url_prefix="channels"), WebhookViewSet("webhooks", url_prefix="webhooks")]


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("deliveries/", include("rongmei.distribution.views_manual")),  # before <pk>/<action>/
        path("deliveries/", include((urlpatterns, "distribution"), namespace="distribution")),
    ]


@hooks.register("register_admin_menu_item")
def register_board_item():
    return PermissionMenuItem(
        _("Publish queue"),
        reverse_lazy("distribution:board"),
        name="publish_queue",
        icon_name="globe",
        order=310,
        permission=views.VIEW,
    )


@hooks.register("construct_homepage_panels")
def add_panels(request, panels):
    if request.user.has_perm(views.VIEW):
        panels.append(DeliveryAlertPanel(request))
