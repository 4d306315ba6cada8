from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProofreadingConfig(AppConfig):
    name = "rongmei.proofreading"
    label = "proofreading"
    verbose_name = _("Proofreading")

    def ready(self):
        from rongmei.proofreading import signals  # noqa: F401
