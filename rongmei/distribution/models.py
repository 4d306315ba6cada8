"""Outlets and deliveries (多渠道发布).

A :class:`Channel` is one outlet of a center with, where it has an API, the
account to reach it by (credentials encrypted at rest). A :class:`Delivery`
is one approved story package going out to one channel, through the durable
publish queue of :mod:`rongmei.distribution.queue`; each change of its state
is a :class:`DeliveryEvent` and an audit entry."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from rongmei.core import secrets
from rongmei.core.models import Organisation


class ChannelKind(models.TextChoices):
    """Every outlet a center publishes to (多渠道发布)."""

    WECHAT_MP = "wechat_mp", _("WeChat official account")
    WEIBO = "weibo", _("Weibo")
    DOUYIN = "douyin", _("Douyin")
    KUAISHOU = "kuaishou", _("Kuaishou")
    WECHAT_CHANNELS = "wechat_channels", _("WeChat Channels")
    CCTV_VIDEO = "cctv_video", _("CCTV Video")
    NEWSPAPER = "newspaper", _("Newspaper")
    PERIODICAL = "periodical", _("Periodical")
    TV = "tv", _("TV programme")
    WEBSITE = "website", _("Government website")
    PARTNER = "partner", _("Partner media (material package)")


class Transport(models.TextChoices):
    """How a channel's deliveries travel: the platform's own API (the
    adapter of its kind), or one of the generic ways."""

    PLATFORM = "platform", _("The platform's own interface")
    WEBHOOK = "webhook", _("Generic webhook (signed JSON)")
    EMAIL = "email", _("Email (SMTP)")
    SFTP = "sftp", _("SFTP (material package)")
    MANUAL = "manual", _("Manual publication (export package)")


class Channel(models.Model):
    """One outlet of a center: an account on a platform, a publication, a
    programme or a website, and how to deliver to it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="channels", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=80)
    language = models.CharField(
        _("language"), max_length=10, choices=[("zh-hans", "简体中文"), ("en", "English")], default="zh-hans"
    )
    url = models.URLField(_("public address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    transport = models.CharField(_("delivery by"), max_length=10, choices=Transport.choices, default=Transport.PLATFORM)
    auto_publish = models.BooleanField(
        _("publish on final approval"),
        default=True,
        help_text=_("Deliver the story's version here when 终审 approves it (or at its planned time)."),
    )
    api_base_url = models.URLField(
        _("API address"), blank=True, help_text=_("Leave empty for the platform's documented address.")
    )
    proxy_url = models.CharField(
        _("outbound proxy"), max_length=200, blank=True, help_text=_("For example http://gateway.internal:3128")
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    credentials_encrypted = models.TextField(editable=False, blank=True, default="")
    checked_at = models.DateTimeField(_("connection last tested"), null=True, blank=True, editable=False)
    check_ok = models.BooleanField(_("connection test passed"), null=True, editable=False)
    check_message = models.CharField(_("connection test result"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["organisation", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "name", "language"], name="channel_unique_outlet")
        ]

    def __str__(self):
        return self.name

    @property
    def credentials(self) -> dict:
        """The account's secrets, decrypted (never log or show them)."""
        return secrets.decrypt(self.credentials_encrypted)

    @credentials.setter
    def credentials(self, value: dict) -> None:
        self.credentials_encrypted = secrets.encrypt({k: v for k, v in (value or {}).items() if v not in ("", None)})

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_encrypted)


class AccessToken(models.Model):
    """A platform access token shared by every worker (WeChat's
    stable_token), encrypted like the credentials it comes from."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="access_token")
    token_encrypted = models.TextField()
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.channel} token until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def token(self) -> str:
        return secrets.decrypt(self.token_encrypted).get("token", "")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    RETRYING = "retrying", _("Waiting to retry")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Canceled")
    NEEDS_MANUAL_CHECK = "needs_manual_check", _("Needs a manual check")


# States the queue still works on; the others are end states.
ACTIVE_STATES = (DeliveryState.PENDING, DeliveryState.IN_PROGRESS, DeliveryState.RETRYING)


class DeliveryAction(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    UPDATE = "update", _("Update (correction)")
    UNPUBLISH = "unpublish", _("Unpublish")


class Trigger(models.TextChoices):
    APPROVAL = "approval", _("Final approval")
    SCHEDULE = "schedule", _("Planned publish time")
    EMBARGO = "embargo", _("Embargo lifted")
    MANUAL = "manual", _("By an operator")


class Delivery(models.Model):
    """One approved package going out to one channel. ``payload`` is the
    channel's version exactly as it was approved; ``checkpoint`` is what
    the adapter has already done (uploaded images, the draft's id, the
    publish job's id), so that a retry after a crash carries on instead of
    starting again."""

    story = models.ForeignKey("stories.Story", on_delete=models.PROTECT, related_name="deliveries")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="deliveries")
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=DeliveryAction.choices, default="publish")
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default="approval")
    payload = models.JSONField(default=dict)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    state = models.CharField(_("state"), max_length=20, choices=DeliveryState.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    give_up_at = models.DateTimeField(_("gives up at"))
    checkpoint = models.JSONField(default=dict, blank=True)

    external_id = models.CharField(_("channel's id"), max_length=200, blank=True)
    external_url = models.URLField(_("channel's address"), max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_code = models.CharField(_("error code"), max_length=40, blank=True)
    instructions = models.TextField(_("what to do"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "revision", "action"],
                condition=models.Q(revision__isnull=False),
                name="delivery_once_per_revision",
            )
        ]
        permissions = [("operate_delivery", "Can retry, cancel and confirm deliveries")]

    def __str__(self):
        return f"{self.channel} · {self.payload.get('title') or self.story_id}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class DeliveryEvent(models.Model):
    """Each change of a delivery's state, with the reason (the Flip of healthchecks)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(max_length=20, choices=DeliveryState.choices)
    attempt = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} → {self.state} at {self.at:%Y-%m-%d %H:%M:%S}"


class Webhook(models.Model):
    """An outgoing webhook: every change of a delivery's state is POSTed
    here as JSON, signed with HMAC-SHA256 of the body with its secret."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("address"))
    secret_encrypted = models.TextField(editable=False, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("outgoing webhook")
        verbose_name_plural = _("outgoing webhooks")

    def __str__(self):
        return self.name

    @property
    def secret(self) -> str:
        return secrets.decrypt(self.secret_encrypted).get("secret", "")

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_encrypted = secrets.encrypt({"secret": value} if value else {})
