"""State changes of stories. Each runs in one transaction; the admin's
views and the API call the same functions.

Changes are logged through Wagtail's own log (``wagtail.create``,
``wagtail.edit``, ``wagtail.workflow.*``), which ``rongmei.core.signals``
mirrors into the audit log with the actor and IP, so that a change made in
the admin and the same change made through the API leave the same trail.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState
from wagtail.search import index as search_index

from rongmei.core import audit
from rongmei.stories import proofread, review
from rongmei.stories.models import ProofreadingOverride, Story

STORY_FIELDS = (
    "title", "kicker", "subtitle", "body", "summary", "photographers", "camera_operators", "department",
    "category", "source", "source_name", "planned_publish_at", "embargo_until",
)  # fmt: skip


class StoryError(Exception):
    """A refused action, explained in one sentence; ``status`` is the HTTP answer."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Conflict(StoryError):
    status = 409


class Refused(StoryError):
    status = 403


class SubmissionBlocked(StoryError):
    """Submission refused by a check: proofreading, or one another app
    registered with :func:`register_submission_check`."""

    status = 409

    def __init__(self, message: str, reasons=()):
        super().__init__(message)
        self.reasons = list(reasons)


class ProofreadingBlocked(SubmissionBlocked):
    def __init__(self, hits):
        super().__init__(
            _("%(count)d blocking proofreading hits must be fixed, or overridden by a reviewer, before submitting.")
            % {"count": len(hits)}
        )
        self.hits = hits


# Checks other apps add (in their AppConfig.ready()), so that stories need
# not import them: ``check(story) -> list[str]``, reasons in plain words.
SUBMISSION_CHECKS: list = []


def register_submission_check(check) -> None:
    """Run ``check(story)`` before every submission; any reason it returns refuses it."""
    if check not in SUBMISSION_CHECKS:
        SUBMISSION_CHECKS.append(check)


def _apply(story: Story, fields: dict, reporters=None, keywords=None) -> None:
    for name, value in fields.items():
        if name not in STORY_FIELDS:
            raise StoryError(_("Unknown field: %(name)s") % {"name": name})
        setattr(story, name, value)
    # Reporters and keywords are parental relations: held in memory until
    # the story is saved, then saved with it (and in its revisions).
    if reporters is not None:
        story.reporters.set(reporters)
    if keywords is not None:
        story.keywords.set(keywords)
    story.full_clean(exclude=["author"])
    save_draft(story)
    if keywords is not None and not story.live:
        search_index.insert_or_update_object(story)  # the index entry was written before the keywords were


def save_draft(story: Story) -> None:
    """Keep a change of a story's package for review. A story not yet
    approved is saved as it is; an approved one keeps its approved content in
    its row (what is published) and the change lives in the revision that
    the caller saves next, until the review approves it."""
    if story.live:
        story.normalise()
    else:
        story.save()


@transaction.atomic
def create_story(*, author, reporters=None, keywords=None, **fields) -> Story:
    story = Story(author=author, department=getattr(author, "department", None), live=False)
    _apply(story, fields, reporters=reporters or [author], keywords=keywords)
    story.save_revision(user=author, log_action=False)
    log(story, "wagtail.create", user=author)
    return story


@transaction.atomic
def update_story(story: Story, *, user, base_revision_id=None, reporters=None, keywords=None, **fields) -> Story:
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.locked and story.locked_by_id != user.pk:
        raise Conflict(_("The story is locked by %(name)s.") % {"name": story.locked_by})
    if base_revision_id is not None and story.latest_revision_id != base_revision_id:
        raise Conflict(
            _(
                "Someone saved this story after you opened it (revision %(theirs)s, you edited %(yours)s). "
                "Reload it and apply your changes again: nothing was overwritten."
            )
            % {"theirs": story.latest_revision_id, "yours": base_revision_id}
        )
    _apply(story, fields, reporters=reporters, keywords=keywords)
    story.save_revision(user=user, log_action=True)
    restart_review_if_approved(story, user=user)
    return story


def restart_review_if_approved(story: Story, *, user) -> bool:
    """Editing after any approval sends the story back to 初审."""
    state = story.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return False
    if not state.task_states.filter(status=TaskState.STATUS_APPROVED).exists():
        return False
    workflow = state.workflow
    state.cancel(user=user)
    workflow.start(story, user)
    audit.record("stories.story.review_restarted", story, actor=user)
    return True


def check_can_submit(story: Story) -> None:
    hits = proofread.blocking(proofread.proofread(story))
    if hits:
        raise ProofreadingBlocked(hits)
    reasons = [reason for check in SUBMISSION_CHECKS for reason in check(story)]
    if reasons:
        raise SubmissionBlocked(
            _("Fix these before submitting: %(reasons)s") % {"reasons": "；".join(reasons)}, reasons
        )


@transaction.atomic
def submit_for_review(story: Story, *, user) -> Story:
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not user.has_perm("stories.change_story"):
        raise Refused(_("You may not submit stories."))
    state = story.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise Conflict(_("The story is already in review."))
    check_can_submit(story)
    if story.latest_revision is None:
        story.save_revision(user=user, log_action=False)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        story.get_workflow().start(story, user)
    return story


@transaction.atomic
def decide(story: Story, *, user, decision: str, level: int | None = None, comment: str = "") -> Story:
    """Approve or send back at the story's current level."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if decision not in ("approve", "reject"):
        raise StoryError(_("The decision is approve or reject."))
    task = story.current_workflow_task
    if task is None:
        raise Conflict(_("The story is not waiting for review."))
    if level is not None and task.level != level:
        raise Conflict(
            _("The story waits at %(current)s, not at %(asked)s.")
            % {"current": review.LEVEL_NAMES[task.level], "asked": review.LEVEL_NAMES.get(level, level)}
        )
    try:
        task.on_action(story.current_workflow_task_state, user, decision, comment=comment)
    except PermissionDenied as exc:
        raise Refused(str(exc) or _("You may not review at this level.")) from exc
    except ValidationError as exc:
        raise StoryError(" ".join(exc.messages)) from exc
    return story


@transaction.atomic
def override_proofreading(story: Story, *, user, rule: str, text: str, reason: str) -> ProofreadingOverride:
    if not user.has_perm("stories.override_proofreading"):
        raise Refused(_("Only reviewers may override proofreading."))
    if not (reason or "").strip():
        raise StoryError(_("Write the reason for the override."))
    hits = [h for h in proofread.proofread(story) if h.rule == rule and h.text == text]
    if not hits:
        raise StoryError(_("The story has no such proofreading hit."))
    override, _created = ProofreadingOverride.objects.update_or_create(
        story=story, rule=rule, text=text, defaults={"reason": reason.strip(), "by": user}
    )
    audit.record(
        "stories.proofreading.override",
        story,
        actor=user,
        data={"rule": rule, "text": text, "reason": reason.strip(), "severity": hits[0].severity},
    )
    return override
