"""Where a story stands in the three-level review, and its review sheet
(审稿单), read from Wagtail's workflow records."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState, WorkflowState

from rongmei.stories.models import ReviewLevelTask, Story

LEVEL_NAMES = {1: "初审", 2: "复审", 3: "终审"}


class Status:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    REJECTED = "rejected"
    APPROVED = "approved"
    CHANGED_AFTER_APPROVAL = "changed_after_approval"

    LABELS = {
        DRAFT: _("Draft"),
        IN_REVIEW: _("In review"),
        REJECTED: _("Sent back"),
        APPROVED: _("Approved for publication"),
        CHANGED_AFTER_APPROVAL: _("Approved; changed since"),
    }


def current_level(story: Story) -> int | None:
    """1, 2 or 3 while the story waits at that level, else None."""
    task = story.current_workflow_task
    if isinstance(task, ReviewLevelTask):
        return task.level
    return None


def status(story: Story) -> tuple[str, str]:
    """A story's review status code and its label."""
    state = story.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        level = current_level(story)
        label = _("Waiting at %(level)s") % {"level": LEVEL_NAMES.get(level, "?")}
        return Status.IN_REVIEW, str(label)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return Status.REJECTED, str(Status.LABELS[Status.REJECTED])
    if story.live:
        code = Status.CHANGED_AFTER_APPROVAL if story.has_unpublished_changes else Status.APPROVED
        return code, str(Status.LABELS[code])
    return Status.DRAFT, str(Status.LABELS[Status.DRAFT])


def filter_status(stories, code: str):
    """The stories of a queryset whose :func:`status` is ``code``, in SQL."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import IntegerField
    from django.db.models.functions import Cast

    states = WorkflowState.objects.filter(base_content_type=ContentType.objects.get_for_model(Story)).annotate(
        story_id=Cast("object_id", IntegerField())
    )
    waiting = states.filter(status=WorkflowState.STATUS_IN_PROGRESS).values("story_id")
    sent_back = states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES).values("story_id")
    if code == Status.IN_REVIEW:
        return stories.filter(pk__in=waiting)
    if code == Status.REJECTED:
        return stories.filter(pk__in=sent_back)
    settled = stories.exclude(pk__in=waiting).exclude(pk__in=sent_back)
    if code == Status.APPROVED:
        return settled.filter(live=True, has_unpublished_changes=False)
    if code == Status.CHANGED_AFTER_APPROVAL:
        return settled.filter(live=True, has_unpublished_changes=True)
    if code == Status.DRAFT:
        return settled.filter(live=False)
    return stories.none()


@dataclass(frozen=True)
class SheetRow:
    submission: int
    level: int
    level_name: str
    reviewer: str
    decision: str
    at: datetime | None
    comment: str


DECISIONS = {
    TaskState.STATUS_APPROVED: _("Approved"),
    TaskState.STATUS_REJECTED: _("Sent back"),
    TaskState.STATUS_IN_PROGRESS: _("Waiting"),
    TaskState.STATUS_CANCELLED: _("Cancelled (story changed)"),
    TaskState.STATUS_SKIPPED: _("Skipped"),
}


def review_sheet(story: Story) -> list[SheetRow]:
    """Every decision at every level, oldest submission first."""
    states = WorkflowState.objects.for_instance(story).order_by("created_at", "pk")
    rows = []
    for number, state in enumerate(states, start=1):
        task_states = (
            TaskState.objects.filter(workflow_state=state)
            .select_related("finished_by", "task")
            .order_by("started_at", "pk")
        )
        for task_state in task_states:
            task = task_state.task.specific
            level = getattr(task, "level", 0)
            reviewer = task_state.finished_by
            rows.append(
                SheetRow(
                    submission=number,
                    level=level,
                    level_name=LEVEL_NAMES.get(level, task.name),
                    reviewer=(reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
                    decision=str(DECISIONS.get(task_state.status, task_state.status)),
                    at=task_state.finished_at,
                    comment=task_state.get_comment() or "",
                )
            )
    return rows
