from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rongmei.core.text import join_name


class Organisation(models.Model):
    """A convergence media center (融媒体中心)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    region = models.CharField(_("administrative region"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="departments", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=60)
    duties = models.TextField(_("duties"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def get_full_name(self):
        return join_name(self.last_name, self.first_name)

    def __str__(self):
        return self.get_full_name() or self.get_username()


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly

    def delete(self):
        raise AuditLogIsAppendOnly


class AuditLogIsAppendOnly(Exception):
    def __init__(self):
        super().__init__(_("The audit log is append-only: entries cannot be changed or deleted."))


# Words for the actions Rongmei records; each app adds its own here as it
# gains actions. Wagtail's actions (wagtail.create, wagtail.edit, …) are
# labelled by Wagtail's own registry.
ACTION_LABELS = {
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Failed sign-in"),
    "core.demo.load": _("Loaded the demo data"),
    "core.user.create_first_administrator": _("Created the first administrator"),
    "proofreading.lexicon.import": _("Imported lexicon entries"),
    "stories.story.review_restarted": _("Sent back to 初审 after an edit"),
    "stories.proofreading.override": _("Overrode a proofreading hit"),
}


class AuditEntry(models.Model):
    """One state change: who did what to which object, when, and from where.

    Rows are only ever inserted, through :func:`rongmei.core.audit.record`.
    The model refuses updates and deletes, and database triggers (migration
    0002) refuse them from raw SQL too.
    """

    class Via(models.TextChoices):
        WEB = "web", _("web")
        API = "api", _("API")
        CLI = "cli", _("command line")
        WORKER = "worker", _("background worker")
        SYSTEM = "system", _("system")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The actor and object are kept as plain values as well as keys, so an
    # entry stays readable after the user or the object is gone; the keys
    # carry no database constraint so that no deletion ever cascades here.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, default=Via.SYSTEM)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly

    @property
    def action_label(self) -> str:
        """The action in words: ours from ACTION_LABELS, Wagtail's from its registry."""
        if self.action in ACTION_LABELS:
            return str(ACTION_LABELS[self.action])
        from wagtail.log_actions import registry

        registry.scan_for_actions()
        formatter = registry.formatters.get(self.action)
        return str(formatter.label) if formatter is not None else self.action
