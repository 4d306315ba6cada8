"""What happens when the last review level approves (Wagtail's
``WAGTAIL_FINISH_WORKFLOW_ACTION``)."""

from wagtail.workflows import publish_workflow_state


def approve_for_publication(workflow_state, user=None):
    """终审 approval publishes the approved revision: the story is approved
    for publication. Nobody holds the publish permission (only the review
    publishes), so the check is skipped here, where the review has just
    been passed. Other content keeps Wagtail's behaviour."""
    from rongmei.stories.models import Story

    obj = workflow_state.content_object
    if isinstance(obj, Story):
        obj.get_latest_revision().publish(user=user, skip_permission_checks=True)
    else:
        publish_workflow_state(workflow_state, user=user)
