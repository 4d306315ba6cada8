"""The admin of 政民互动: the messages with filters and the reply form
(the full answering inbox comes in a later issue), and the editable list
of message categories."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from rongmei.interaction import actions
from rongmei.interaction.models import Message, MessageCategory


class ReplyForm(WagtailAdminModelForm):
    def clean_reply(self):
        reply = (self.cleaned_data.get("reply") or "").strip()
        if not reply:
            raise forms.ValidationError(_("Write the reply."))
        return reply


class ReplyView(generic.EditView):
    """The edit view answers the message through :func:`actions.answer`."""

    submit_button_label = _("Save the reply")
    success_message = _("The reply to message %(object)s was saved.")

    def save_instance(self):
        data = self.form.cleaned_data
        return actions.answer(self.object, user=self.request.user, reply=data["reply"], publish=data["reply_published"])


class MessageInspectView(generic.InspectView):
    """Times in the center's time zone; nothing yet shown as "-"."""

    def _when(self, value):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "-"

    def get_created_at_display_value(self):
        return self._when(self.object.created_at)

    def get_answered_at_display_value(self):
        return self._when(self.object.answered_at)

    def get_replied_by_display_value(self):
        return self.object.replied_by or "-"


class MessageViewSet(ModelViewSet):
    model = Message
    icon = "mail"
    menu_label = _("Public messages")
    menu_name = "public_messages"
    menu_order = 320
    add_to_admin_menu = True
    edit_view_class = ReplyView
    inspect_view_class = MessageInspectView
    list_display = [
        "tracking_number",
        "category",
        Column("content", label=_("content"), accessor="excerpt"),
        "status",
        "created_at",
        "answered_at",
    ]
    list_filter = ["status", "category", "source", "language"]
    search_fields = ["tracking_number", "content"]
    search_backend_name = None
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "tracking_number", "source", "language", "category", "content", "name", "phone", "email",
        "status", "created_at", "answered_at", "replied_by", "reply", "reply_published",
    ]  # fmt: skip
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("tracking_number", read_only=True),
                    FieldPanel("category", read_only=True),
                    FieldPanel("content", read_only=True),
                    FieldPanel("name", read_only=True),
                    FieldPanel("phone", read_only=True),
                    FieldPanel("email", read_only=True),
                    FieldPanel("created_at", read_only=True),
                    FieldPanel("status", read_only=True),
                ],
                heading=_("The citizen's message"),
            ),
            FieldPanel("reply", widget=forms.Textarea(attrs={"rows": 10})),
            FieldPanel("reply_published"),
        ],
        base_form_class=ReplyForm,
    )


class MessageCategoryViewSet(ModelViewSet):
    model = MessageCategory
    icon = "tag"
    menu_label = _("Message categories")
    menu_name = "message_categories"
    add_to_settings_menu = True
    form_fields = ["name", "name_en", "sort_order", "is_active"]
    list_display = ["name", "name_en", "sort_order", "is_active"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        MessageViewSet("public_messages", url_prefix="messages"),
        MessageCategoryViewSet("message_categories", url_prefix="message-categories"),
    ]
