"""Who may do what with public messages in the admin. Messages come only
from citizens and are kept: nobody adds or deletes one there; replying is
the ``change`` permission (运营, 管理员; see rongmei.core.roles)."""

from wagtail.permission_policies import ModelPermissionPolicy


class MessagePermissionPolicy(ModelPermissionPolicy):
    REFUSED = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.REFUSED and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - self.REFUSED)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        if action in self.REFUSED:
            return self.model._default_manager.none()
        return super().instances_user_has_permission_for(user, action)
