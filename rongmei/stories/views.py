"""The stories admin: the editor (with proofreading inline and the
submission gate), the listing, and the review sheet (审稿单)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from rongmei.stories import actions, docx, proofread, review
from rongmei.stories.models import Category, Story


class StoryForm(WagtailAdminModelForm):
    """The author of a new story is whoever files it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.author_id and self.for_user is not None:
            self.instance.author = self.for_user
            if not self.instance.department_id:
                self.instance.department = getattr(self.for_user, "department", None)


class ProofreadingPanel(Panel):
    """The proofreading hits of the saved story: where, which rule, what to write instead."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "stories/panels/proofreading.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            hits = proofread.proofread(self.instance) if self.instance.pk else []
            context.update(
                hits=hits,
                summary=proofread.summary(hits),
                can_override=self.request.user.has_perm("stories.override_proofreading"),
                story=self.instance,
            )
            return context


STORY_PANELS = TabbedInterface(
    [
        ObjectList(
            [
                FieldPanel("kicker"),
                FieldPanel("title", classname="title"),
                FieldPanel("subtitle"),
                FieldPanel("summary"),
                FieldPanel("body"),
            ],
            heading=gettext_lazy("Story"),
        ),
        ObjectList(
            [
                FieldPanel("reporters", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("photographers"), FieldPanel("camera_operators")]),
                FieldPanel("department"),
                FieldRowPanel([FieldPanel("category"), FieldPanel("keywords")]),
                FieldRowPanel([FieldPanel("source"), FieldPanel("source_name")]),
                MultiFieldPanel(
                    [FieldRowPanel([FieldPanel("planned_publish_at"), FieldPanel("embargo_until")])],
                    heading=gettext_lazy("Timing"),
                ),
            ],
            heading=gettext_lazy("Credits and filing"),
        ),
        ObjectList([ProofreadingPanel(heading=gettext_lazy("Proofreading"))], heading=gettext_lazy("Proofreading")),
    ],
    base_form_class=StoryForm,
)


class SubmissionGateMixin:
    """Submitting for review is refused while blocking hits remain; the
    story itself is saved as a draft."""

    def submit_action(self):
        try:
            actions.check_can_submit(self.object)
        except actions.ProofreadingBlocked as blocked:
            messages.error(self.request, blocked.message)
            return redirect(self.get_edit_url())
        return super().submit_action()


class StoryCreateView(SubmissionGateMixin, CreateView):
    pass


class StoryEditView(SubmissionGateMixin, EditView):
    def save_instance(self):
        instance = super().save_instance()
        if self.action == "edit" and self.form.has_changed():
            actions.restart_review_if_approved(instance, user=self.request.user)
        return instance


class StatusColumn(Column):
    def get_value(self, instance):
        return review.status(instance)[1]


class StoryViewSet(SnippetViewSet):
    model = Story
    icon = "doc-full"
    menu_label = gettext_lazy("Stories")
    menu_name = "stories"
    menu_order = 100
    add_to_admin_menu = True
    edit_handler = STORY_PANELS
    add_view_class = StoryCreateView
    edit_view_class = StoryEditView
    list_display = ["title", "category", "author", StatusColumn("status", label=gettext_lazy("Review")), "updated_at"]
    list_filter = ["category", "department", "source", "live"]
    list_per_page = 30
    copy_view_enabled = False
    inspect_view_enabled = True


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "tag"
    menu_label = gettext_lazy("Story categories")
    menu_name = "story_categories"
    add_to_settings_menu = True
    form_fields = ["name", "sort_order"]
    list_display = ["name", "sort_order"]
    copy_view_enabled = False


def review_sheet_view(request, pk):
    """The review sheet (审稿单) of a story, as a page or as DOCX."""
    story = get_object_or_404(Story, pk=pk)
    if not request.user.has_perm("stories.view_story"):
        raise PermissionDenied
    rows = review.review_sheet(story)
    if request.GET.get("format") == "docx":
        response = HttpResponse(
            docx.review_sheet_docx(story, rows),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="review-sheet-{story.pk}.docx"'
        return response
    return TemplateResponse(
        request,
        "stories/review_sheet.html",
        {"story": story, "rows": rows, "status": review.status(story)[1], "page_title": _("Review sheet")},
    )


def override_view(request, pk):
    """A reviewer accepts a blocking hit with a written reason."""
    story = get_object_or_404(Story, pk=pk)
    if request.method != "POST":
        return redirect("wagtailsnippets_stories_story:edit", pk)
    try:
        actions.override_proofreading(
            story,
            user=request.user,
            rule=request.POST.get("rule", ""),
            text=request.POST.get("text", ""),
            reason=request.POST.get("reason", ""),
        )
    except actions.StoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Override recorded."))
    return redirect("wagtailsnippets_stories_story:edit", pk)
