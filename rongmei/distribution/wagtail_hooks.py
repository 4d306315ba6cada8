from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from rongmei.distribution.models import Channel


class ChannelViewSet(ModelViewSet):
    model = Channel
    icon = "globe"
    menu_label = _("Channels")
    menu_name = "channels"
    menu_order = 300
    add_to_admin_menu = True
    form_fields = ["organisation", "kind", "name", "language", "url", "description", "is_active", "sort_order"]
    list_display = ["name", "kind", "language", "is_active", "url"]
    list_filter = ["kind", "language", "is_active"]
    search_fields = ["name", "description"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True

    def formfield_for_dbfield(self, db_field, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, **kwargs)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ChannelViewSet("channels", url_prefix="channels")
