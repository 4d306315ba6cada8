"""The admin of 政民互动: the messages with filters and the reply form
(the full answering inbox comes in a later issue), and the editable list
of message categories."""

from django import forms
from django.urls import include, path, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from rongmei.core.menu import PermissionMenuItem
from rongmei.interaction import actions, hotline, panels, views_inbox
from rongmei.interaction.models import (
    Department,
    GradePolicy,
    GradeRule,
    InboxCategory,
    Message,
    MessageCategory,
    ReplyTemplate,
)


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


class InboxCategoryViewSet(ModelViewSet):
    model = InboxCategory
    icon = "tag"
    menu_label = _("Inbox categories")
    add_to_settings_menu = True
    form_fields = ["name", "name_en", "keywords", "sort_order", "is_active", "is_fallback"]
    list_display = ["name", "name_en", "sort_order", "is_active"]
    copy_view_enabled = False


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Responsible departments")
    add_to_settings_menu = True
    form_fields = ["name", "contact", "answer_hours", "sort_order", "is_active"]
    list_display = ["name", "contact", "answer_hours", "is_active"]
    copy_view_enabled = False


class GradeRuleViewSet(ModelViewSet):
    model = GradeRule
    icon = "warning"
    menu_label = _("Grade rules")
    add_to_settings_menu = True
    form_fields = ["name", "kind", "grade", "keywords", "threshold", "window_hours", "factor", "is_active"]
    list_display = ["name", "kind", "grade", "threshold", "window_hours", "factor", "is_active"]
    copy_view_enabled = False


class GradePolicyViewSet(ModelViewSet):
    model = GradePolicy
    icon = "time"
    menu_label = _("Grade deadlines and review")
    add_to_settings_menu = True
    form_fields = ["first_response_hours", "resolution_hours", "review_required"]
    list_display = ["grade", "first_response_hours", "resolution_hours", "review_required"]
    copy_view_enabled = False


class ReplyTemplateViewSet(ModelViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = _("Reply templates")
    add_to_settings_menu = True
    form_fields = ["name", "category", "text", "is_active"]
    list_display = ["name", "category", "is_active"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        MessageViewSet("public_messages", url_prefix="messages"),
        MessageCategoryViewSet("message_categories", url_prefix="message-categories"),
        InboxCategoryViewSet("inbox_categories", url_prefix="inbox-categories"),
        DepartmentViewSet("inbox_departments", url_prefix="inbox-departments"),
        GradeRuleViewSet("inbox_grade_rules", url_prefix="inbox-grade-rules"),
        GradePolicyViewSet("inbox_grade_policies", url_prefix="inbox-grade-policies"),
        ReplyTemplateViewSet("inbox_reply_templates", url_prefix="inbox-reply-templates"),
    ]


inbox_urls = [
    path("", views_inbox.inbox, name="list"),
    path("<int:pk>/", views_inbox.item_view, name="item"),
    path("add/", views_inbox.add_item, name="add"),
    path("import/", hotline.import_view, name="import"),
    path("stats/", views_inbox.stats_view, name="stats"),
    path("clues/", views_inbox.clues, name="clues"),
    path("sources/", views_inbox.sources, name="sources"),
    path("classifier/", views_inbox.classifier, name="classifier"),
]


@hooks.register("register_admin_urls")
def register_inbox_urls():
    return [path("inbox/", include((inbox_urls, "interaction_inbox"), namespace="interaction_inbox"))]


@hooks.register("register_admin_menu_item")
def register_inbox_item():
    return PermissionMenuItem(
        _("Inbox"),
        reverse_lazy("interaction_inbox:list"),
        name="inbox",
        icon_name="mail",
        order=319,
        permission=actions.VIEW_ITEMS,
    )


@hooks.register("construct_homepage_panels")
def add_inbox_panel(request, panels_list):
    if request.user.has_perm(panels.VIEW):
        panels_list.append(panels.InboxPanel(request))
