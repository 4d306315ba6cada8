"""Stories (稿件): written once, reviewed at three levels (三审), then
published everywhere. A story is a Wagtail snippet with revisions, drafts,
locking and the 三审 workflow; as a ``ClusterableModel`` its child records
(the channel versions of a later issue) live in its revisions, so reviewers
approve the whole package as one unit."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.fields import RichTextField
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    TaskState,
    WorkflowMixin,
)
from wagtail.search import index

from rongmei.core.models import Department
from rongmei.core.search import SegmentedSearchField
from rongmei.core.text import sanitize_rich_text

# A story body longer than this is a paste accident, not a story.
BODY_MAX_CHARS = 300_000


class Category(models.Model):
    """The editable list of story categories (时政, 民生, …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class StoryKeyword(TaggedItemBase):
    content_object = ParentalKey("Story", on_delete=models.CASCADE, related_name="tagged_keywords")


class Story(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel
):
    class Source(models.TextChoices):
        ORIGINAL = "original", _("Original (原创)")
        REPRINT = "reprint", _("Reprint (转载)")

    title = models.CharField(_("title"), max_length=200)
    kicker = models.CharField(_("kicker (引题)"), max_length=200, blank=True)
    subtitle = models.CharField(_("subtitle (副题)"), max_length=200, blank=True)
    body = RichTextField(_("body"), blank=True)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_stories",
        verbose_name=_("author"),
        help_text=_("Who filed the story; a rejected story goes back to them."),
    )
    reporters = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reported_stories", verbose_name=_("reporters")
    )
    photographers = models.CharField(_("photographers"), max_length=200, blank=True)
    camera_operators = models.CharField(_("camera operators"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("department"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="stories", verbose_name=_("category")
    )
    keywords = ClusterTaggableManager(through=StoryKeyword, blank=True, verbose_name=_("keywords"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ORIGINAL)
    source_name = models.CharField(
        _("source name"), max_length=100, blank=True, help_text=_("For a reprint: where it comes from.")
    )
    planned_publish_at = models.DateTimeField(_("planned publish time"), null=True, blank=True)
    embargo_until = models.DateTimeField(_("embargo until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    search_fields = [
        SegmentedSearchField("title", boost=10),
        SegmentedSearchField("kicker"),
        SegmentedSearchField("subtitle"),
        SegmentedSearchField("keywords", boost=5),
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("body", html=True),
        index.FilterField("category"),
        index.RelatedFields("category", [index.FilterField("name")]),
        index.FilterField("department"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-updated_at"]
        permissions = [
            ("override_proofreading", _("Can override a blocking proofreading hit")),
            # Wagtail adds these after migrating; declared here so that the
            # roles' data migration can grant them on a new database.
            ("lock_story", "Can lock story"),
            ("unlock_story", "Can unlock story"),
        ]

    def __str__(self):
        return self.title

    # -- validation and sanitising, on every path (admin, API, demo)

    def clean(self):
        super().clean()
        errors = {}
        if not (self.title or "").strip():
            errors["title"] = _("The title cannot be empty.")
        elif "<" in self.title and ">" in self.title:
            errors["title"] = _("The title is plain text: remove the HTML tags.")
        if len(self.body or "") > BODY_MAX_CHARS:
            errors["body"] = _("The body is %(size)s characters long; the limit is %(limit)s.") % {
                "size": f"{len(self.body):,}",
                "limit": f"{BODY_MAX_CHARS:,}",
            }
        if self.source == self.Source.REPRINT and not (self.source_name or "").strip():
            errors["source_name"] = _("A reprint needs the name of its source.")
        if errors:
            raise ValidationError(errors)

    def normalise(self) -> None:
        """What every save does to the text: a stripped title, a sanitised body."""
        self.title = (self.title or "").strip()
        self.body = sanitize_rich_text(self.body or "")

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    # -- preview

    def get_preview_template(self, request, mode_name):
        return "stories/preview.html"


class ReviewLevelTask(AbstractGroupApprovalTask):
    """One level of the three-level review (初审, 复审, 终审).

    On top of Wagtail's group approval: only members of the level's groups
    act (superusers administer, they do not review); nobody approves their
    own story; with ``RONGMEI_REVIEW_DISTINCT_REVIEWERS`` (on by default),
    nobody approves two levels of the same submission; sending back needs
    a comment.
    """

    level = models.PositiveSmallIntegerField(_("level"), default=1)

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "level"]

    class Meta:
        verbose_name = _("review level")
        verbose_name_plural = _("review levels")

    def refusal(self, obj, user, action: str) -> str | None:
        """Why ``user`` may not take ``action`` on ``obj`` at this level, or None."""
        if not self.groups.filter(id__in=user.groups.all()).exists():
            return _("Only members of %(groups)s review at this level.") % {
                "groups": "、".join(self.groups.values_list("name", flat=True))
            }
        if action == "approve" and getattr(obj, "author_id", None) == user.pk:
            return _("Nobody approves their own story.")
        if action == "approve" and getattr(settings, "RONGMEI_REVIEW_DISTINCT_REVIEWERS", True):
            state = obj.current_workflow_state
            if (
                state is not None
                and state.task_states.filter(status=TaskState.STATUS_APPROVED, finished_by=user)
                .exclude(task=self)
                .exists()
            ):
                return _("You approved another level of this story; a different reviewer must approve this one.")
        return None

    def get_actions(self, obj, user):
        actions = []
        if self.refusal(obj, user, "reject") is None:
            actions.append(("reject", _("Send back to the author"), True))
        if self.refusal(obj, user, "approve") is None:
            actions += [("approve", _("Approve"), False), ("approve", _("Approve with comment"), True)]
        return actions

    def user_can_access_editor(self, obj, user):
        return self.groups.filter(id__in=user.groups.all()).exists()

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or self.groups.filter(id__in=user.groups.all()).exists())

    def get_form_for_action(self, action):
        from rongmei.stories.forms import SendBackForm

        return SendBackForm if action == "reject" else super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        reason = self.refusal(task_state.workflow_state.content_object, user, action_name)
        if reason:
            raise PermissionDenied(reason)
        if action_name == "reject" and not (kwargs.get("comment") or "").strip():
            raise ValidationError(_("Say why the story goes back: a comment is required."))
        return super().on_action(task_state, user, action_name, **kwargs)


class ProofreadingOverride(models.Model):
    """A reviewer's written decision that a blocking proofreading hit is
    acceptable in this story (a quotation, a proper name…)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="proofreading_overrides")
    rule = models.CharField(_("rule"), max_length=40)
    text = models.CharField(_("text"), max_length=200)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("proofreading override")
        verbose_name_plural = _("proofreading overrides")
        constraints = [models.UniqueConstraint(fields=["story", "rule", "text"], name="override_unique_hit")]

    def __str__(self):
        return f"{self.rule}: {self.text}"
