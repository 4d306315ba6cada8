from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "rongmei.interaction"
    label = "interaction"
    verbose_name = _("Public messages")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from rongmei.interaction.models import Message
        from rongmei.interaction.permissions import MessagePermissionPolicy

        register_permission_policy(Message, MessagePermissionPolicy(Message))
