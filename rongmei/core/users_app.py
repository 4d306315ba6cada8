from wagtail.users.apps import WagtailUsersAppConfig


class RongmeiUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the department on the user form."""

    user_viewset = "rongmei.core.views.users.UserViewSet"
