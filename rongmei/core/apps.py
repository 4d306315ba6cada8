from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rongmei.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from rongmei.core import signals  # noqa: F401 - connects the audit receivers
        from rongmei.core.models import AuditEntry
        from rongmei.core.permissions import ReadOnlyPermissionPolicy

        register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry))
