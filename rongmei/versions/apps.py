from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersionsConfig(AppConfig):
    name = "rongmei.versions"
    label = "versions"
    verbose_name = _("Channel versions")

    def ready(self):
        from rongmei.stories.actions import register_submission_check
        from rongmei.versions.actions import submission_reasons

        register_submission_check(submission_reasons)
