from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing follows the model's view permission; adding, changing and
    deleting are refused to everyone, superusers included."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete", "lock", "unlock", "publish"})

    def user_has_permission(self, user, action):
        if action in self.WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - self.WRITE_ACTIONS)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        if action in self.WRITE_ACTIONS:
            return self.model._default_manager.none()
        return super().instances_user_has_permission_for(user, action)
