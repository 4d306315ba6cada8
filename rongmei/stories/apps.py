from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "rongmei.stories"
    label = "stories"
    verbose_name = _("Stories")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from rongmei.stories.models import Story
        from rongmei.stories.permissions import StoryPermissionPolicy

        register_permission_policy(Story, StoryPermissionPolicy(Story))
