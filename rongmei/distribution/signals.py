"""The review's last level approved a story package: deliver it."""


def story_approved(sender, instance, user=None, **kwargs):
    from rongmei.distribution import actions
    from rongmei.stories.models import Story

    story = instance.content_object
    if isinstance(story, Story):
        actions.on_story_approved(Story.objects.get(pk=story.pk), user=user)
