from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "rongmei.interaction"
    label = "interaction"
    verbose_name = _("Public messages")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from rongmei.core.models import ACTION_LABELS
        from rongmei.interaction.models import Message
        from rongmei.interaction.permissions import MessagePermissionPolicy

        register_permission_policy(Message, MessagePermissionPolicy(Message))
        ACTION_LABELS.update(AUDITED_ACTIONS)


# The inbox's audited actions in words (the item's history, the audit log).
AUDITED_ACTIONS = {
    "interaction.message.receive": _("Message received"),
    "interaction.message.answer": _("Message answered on the website"),
    "interaction.item.add": _("Entered a letter or call"),
    "interaction.item.assign": _("Assigned"),
    "interaction.item.classify": _("Category corrected"),
    "interaction.item.grade": _("Grade changed"),
    "interaction.item.status": _("Status changed"),
    "interaction.reply.write": _("Reply written"),
    "interaction.reply.approve": _("Reply approved"),
    "interaction.reply.reject": _("Reply returned"),
    "interaction.reply.send": _("Reply sent"),
    "interaction.reply.fail": _("Reply refused by the channel"),
    "interaction.clue.create": _("Clue created"),
    "interaction.hotline.import": _("Hotline records imported"),
    "interaction.inbox.pull": _("Comments pulled"),
    "interaction.source.alert": _("Source alert"),
    "interaction.source.reenable": _("Source enabled again"),
    "interaction.classifier.train": _("Classifier trained"),
}
