"""Demo channel versions: every channel's version of the demo stories that
are drafts or were sent back, generated the real way
(``actions.generate_versions``).

Generating changes a story's package, which would send a story under review
or approved back through the review; the demo's review states stay as the
demo stories set them, so those stories are left without versions (an
editor generates them from the story's Versions tab). A story that already
has versions is left as it is, so loading twice adds nothing."""

from django.contrib.auth import get_user_model

from rongmei.versions.models import Version

# Generating runs TextRank over each story after the demo stories and media: the worker does it.
IN_BACKGROUND = True

STATES = ("draft", "rejected")  # rongmei.stories.review.Status.DRAFT and .REJECTED


def _latest_has_versions(story) -> bool:
    if story.latest_revision_id:
        return bool(list(story.get_latest_revision_as_object().versions.all()))
    return story.versions.exists()


def load() -> dict[type, int]:
    from rongmei.stories import review
    from rongmei.stories.actions import StoryError
    from rongmei.stories.models import Story
    from rongmei.versions import actions

    user = get_user_model().objects.filter(username="editor").first()
    if user is not None:
        for story in Story.objects.order_by("pk"):
            if review.status(story)[0] not in STATES or story.locked or _latest_has_versions(story):
                continue
            try:
                actions.generate_versions(story, user=user)
            except StoryError:
                continue  # locked or refused meanwhile: leave the story as it is
    return {Version: Version.objects.count()}
