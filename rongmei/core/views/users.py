"""Wagtail's user admin, extended with the user's department."""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class RongmeiUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"department"}


class RongmeiUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"department"}


class UserViewSet(WagtailUserViewSet):
    template_prefix = "rongmei/users/"

    def get_form_class(self, for_update=False):
        return RongmeiUserEditForm if for_update else RongmeiUserCreationForm
