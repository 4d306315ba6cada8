from wagtail.permission_policies import ModelPermissionPolicy


class StoryPermissionPolicy(ModelPermissionPolicy):
    """Only the three-level review publishes (approves) a story: nobody,
    superusers included, can publish or unpublish one directly."""

    def user_has_permission(self, user, action):
        if action in ("publish", "unpublish"):
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)
