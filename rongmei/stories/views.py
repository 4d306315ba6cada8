"""The stories admin: the editor (with proofreading inline and the
submission gate), the listing, and the review sheet (审稿单)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from rongmei.archive.models import Asset
from rongmei.archive.views.chooser import asset_chooser
from rongmei.core import audit
from rongmei.stories import actions, docx, proofread, review
from rongmei.stories.models import Category, Story
from rongmei.versions.views import VersionInfoPanel, VersionsInlinePanel, VersionsToolbarPanel


class StoryForm(WagtailAdminModelForm):
    """The author of a new story is whoever files it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.author_id and self.for_user is not None:
            self.instance.author = self.for_user
            if not self.instance.department_id:
                self.instance.department = getattr(self.for_user, "department", None)


def _story_hits(panel) -> list:
    """The saved story's proofreading hits, computed once per request for all panels."""
    instance = panel.instance
    if not instance.pk:
        return []
    if "_proofreading_hits" not in instance.__dict__:
        instance.__dict__["_proofreading_hits"] = proofread.proofread(instance)
    return instance.__dict__["_proofreading_hits"]


class ProofreadingSummaryPanel(Panel):
    """At the top of the editor: how many hits of each severity, and whether
    the story can be submitted."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "stories/panels/proofreading_summary.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            hits = _story_hits(self)
            context.update(hits=hits, summary=proofread.summary(hits), story=self.instance)
            return context


class ProofreadFieldPanel(FieldPanel):
    """A field with its proofreading hits right under it: where in the
    field, the text in context, the rule, the suggestion, and for reviewers
    the override form of a blocking hit."""

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "stories/panels/proofread_field.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(
                hits=[hit for hit in _story_hits(self) if hit.field == self.field_name],
                can_override=self.request.user.has_perm("stories.override_proofreading"),
                story=self.instance,
            )
            return context


STORY_PANELS = TabbedInterface(
    [
        ObjectList(
            [
                ProofreadingSummaryPanel(),
                ProofreadFieldPanel("kicker"),
                ProofreadFieldPanel("title", classname="title"),
                ProofreadFieldPanel("subtitle"),
                ProofreadFieldPanel("summary"),
                ProofreadFieldPanel("body"),
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
        ObjectList(
            [
                InlinePanel(
                    "attached_assets",
                    panels=[
                        FieldPanel("asset", widget=asset_chooser.widget_class),
                        FieldPanel("rights_override_reason"),
                    ],
                    heading=gettext_lazy("Attached assets"),
                    label=gettext_lazy("Asset"),
                ),
            ],
            heading=gettext_lazy("Assets"),
        ),
        ObjectList(
            [
                VersionsToolbarPanel(),
                VersionsInlinePanel(
                    "versions",
                    panels=[
                        FieldPanel("channel"),
                        FieldRowPanel([FieldPanel("kicker"), FieldPanel("subtitle")]),
                        FieldPanel("title"),
                        FieldPanel("author"),
                        FieldPanel("summary"),
                        FieldPanel("body"),
                        FieldRowPanel(
                            [
                                FieldPanel("cover", widget=asset_chooser.widget_class),
                                FieldPanel("video", widget=asset_chooser.widget_class),
                            ]
                        ),
                        VersionInfoPanel(),
                    ],
                    heading=gettext_lazy("Channel versions"),
                    label=gettext_lazy("Version"),
                ),
            ],
            heading=gettext_lazy("Versions"),
        ),
    ],
    base_form_class=StoryForm,
)


class SubmissionGateMixin:
    """Submitting for review is refused while blocking hits remain; the
    story itself is saved as a draft."""

    def submit_action(self):
        try:
            actions.check_can_submit(self.object)
        except actions.SubmissionBlocked as blocked:
            messages.error(self.request, blocked.message)
            return redirect(self.get_edit_url())
        return super().submit_action()


def _limit_asset_choices(form, user, attached=()):
    """An asset is chosen among those the user may see (and those already attached)."""
    formset = getattr(form, "formsets", {}).get("attached_assets")
    if formset is None:
        return form
    choices = Asset.objects.visible_to(user) | Asset.objects.filter(pk__in=list(attached))
    for child in formset.forms:
        child.fields["asset"].queryset = choices
    return form


def _audit_attached_assets(story, before: set, user):
    """Each asset newly attached through the editor is audited, with the
    reason for using it after its rights expired when one is given."""
    for link in story.attached_assets.all():
        if link.asset_id and link.asset_id not in before:
            reason = (link.rights_override_reason or "").strip()
            audit.record(
                "archive.asset.attach",
                link.asset,
                actor=user,
                data={"story": story.pk, **({"rights_override": reason} if reason else {})},
            )


class StoryCreateView(SubmissionGateMixin, CreateView):
    def get_form(self, *args, **kwargs):
        return _limit_asset_choices(super().get_form(*args, **kwargs), self.request.user)

    @transaction.atomic
    def save_instance(self):
        instance = super().save_instance()
        _audit_attached_assets(instance, set(), self.request.user)
        return instance


class StoryEditView(SubmissionGateMixin, EditView):
    def attached_before(self) -> set:
        """The assets of the story as it was before this save (its latest revision, else its row)."""
        story = Story.objects.get(pk=self.object.pk)
        if story.latest_revision_id:
            story = story.get_latest_revision_as_object()
        return {link.asset_id for link in story.attached_assets.all()}

    def get_form(self, *args, **kwargs):
        return _limit_asset_choices(super().get_form(*args, **kwargs), self.request.user, self.attached_before())

    def is_valid(self, form):
        """Wagtail refuses a stale autosave but lets a stale form save
        overwrite silently. Here the second of two editors gets a conflict,
        with the form still holding their text; it now carries the newer
        revision's id, so saving again after reading it is deliberate."""
        if not self.expects_json_response and self.is_out_of_date:
            self.produced_error_message = _(
                "Someone else saved this story after you opened it. Nothing was saved and nothing was lost: "
                "your text is still in the form below, and theirs is the newest revision in the history. "
                "Compare them, then save again to keep yours."
            )
            return False
        return super().is_valid(form)

    @transaction.atomic
    def save_instance(self):
        before = self.attached_before()
        instance = super().save_instance()
        if self.action == "edit" and self.form.has_changed():
            actions.restart_review_if_approved(instance, user=self.request.user)
        _audit_attached_assets(instance, before, self.request.user)
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
    """A reviewer accepts a blocking hit with a written reason: a page of its
    own, so that the editor's unsaved changes are never posted away with it."""
    story = get_object_or_404(Story, pk=pk)
    if not request.user.has_perm("stories.override_proofreading"):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    rule, text = data.get("rule", ""), data.get("text", "")
    edit_url = reverse("wagtailsnippets_stories_story:edit", args=[pk])
    hits = [hit for hit in proofread.proofread(story) if hit.rule == rule and hit.text == text]
    if not hits:
        messages.error(request, _("The story has no such proofreading hit."))
        return redirect(edit_url)
    error = None
    if request.method == "POST":
        try:
            actions.override_proofreading(story, user=request.user, rule=rule, text=text, reason=data.get("reason", ""))
        except actions.StoryError as refused:
            error = refused.message
        else:
            messages.success(request, _("Override recorded."))
            return redirect(edit_url)
    return TemplateResponse(
        request,
        "stories/override.html",
        {
            "story": story,
            "hit": hits[0],
            "error": error,
            "edit_url": edit_url,
            "page_title": _("Override a proofreading hit"),
        },
    )
