"""Wagtail's user admin, with the user's department, and closed to privilege
escalation: only a superuser may grant or hold superuser status, and only a
superuser may edit a superuser (else an administrator could take over a
superuser's account by setting its password)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users


class _ActingUserMixin:
    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("is_superuser")
        if field is not None and (acting_user is None or not acting_user.is_superuser):
            # A disabled field ignores what is posted and keeps its initial value.
            field.disabled = True
            field.help_text = _("Only a superuser can grant full access.")


class RongmeiUserCreationForm(_ActingUserMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"department"}


class RongmeiUserEditForm(_ActingUserMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"department"}


class CreateView(wagtail_users.CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class EditView(wagtail_users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class UserViewSet(wagtail_users.UserViewSet):
    template_prefix = "rongmei/users/"
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return RongmeiUserEditForm if for_update else RongmeiUserCreationForm
