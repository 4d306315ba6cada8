from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "rongmei.website"
    label = "website"
    verbose_name = _("Government website")

    def ready(self):
        from rongmei.website import cache

        cache.connect()
