"""Mirror what Django and Wagtail log themselves into the audit log, so that
changes made through Wagtail's own views (users, groups, snippets, images)
are audited by the same helper as ours."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import ModelLogEntry, PageLogEntry

from rongmei.core import audit


def _mirror_wagtail_log(sender, instance, created, **kwargs):
    if not created:
        return
    data = {"wagtail_log_id": instance.pk}
    if instance.data:
        data["details"] = instance.data
    if instance.revision_id:
        data["revision"] = instance.revision_id
    audit.record(
        instance.action,
        actor=instance.user,
        data=data,
        content_type=instance.content_type,
        object_id=instance.object_id,
        object_repr=instance.label,
    )


for log_model in (ModelLogEntry, PageLogEntry):
    post_save.connect(_mirror_wagtail_log, sender=log_model, dispatch_uid=f"audit-mirror-{log_model.__name__}")


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender, request, user, **kwargs):
    audit.record("auth.login", user, actor=user)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.logout", user, actor=user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Never store the password that was tried.
    audit.record("auth.login_failed", data={"username": credentials.get("username", "")})
