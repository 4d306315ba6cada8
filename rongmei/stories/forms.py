from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm


class SendBackForm(TaskStateCommentForm):
    """Sending a story back to its author needs a reason."""

    comment = forms.CharField(
        label=_("Why does the story go back?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=True,
        error_messages={"required": _("Say why the story goes back: a comment is required.")},
    )
