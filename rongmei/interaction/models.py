"""Public messages (政民互动 / 留言): what citizens write to the center, and
the center's replies.

A message comes from a source (for now only the website's public form;
the later inbox adds others) and gets a tracking number the citizen looks
the reply up with. Nothing about the citizen is kept beyond what they
typed: the client address is never stored, only a salted hash of it in
:class:`RateLimitHit` for a day, to limit floods
(:mod:`rongmei.interaction.ratelimit`)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONTENT_LIMIT = 2000  # characters of a message
REPLY_LIMIT = 10_000  # characters of a reply
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]


class MessageCategory(models.Model):
    """The editable list of message categories (咨询, 建议, 投诉, …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories are no longer offered on the public form.")
    )

    class Meta:
        verbose_name = _("message category")
        verbose_name_plural = _("message categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def label(self, language: str) -> str:
        """The category's name in the public page's language."""
        return (self.name_en or self.name) if language == "en" else self.name


class Message(models.Model):
    """One citizen's message and the center's reply."""

    class Source(models.TextChoices):
        WEBSITE = "website", _("Website form")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    tracking_number = models.CharField(_("tracking number"), max_length=24, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.WEBSITE)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="zh-hans")
    category = models.ForeignKey(
        MessageCategory, on_delete=models.PROTECT, related_name="messages", verbose_name=_("category")
    )
    content = models.TextField(_("content"), validators=[MaxLengthValidator(CONTENT_LIMIT)])
    name = models.CharField(_("citizen's name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    reply = models.TextField(_("reply"), blank=True, validators=[MaxLengthValidator(REPLY_LIMIT)])
    reply_published = models.BooleanField(
        _("publish the reply"),
        default=True,
        help_text=_("The citizen and anyone with the tracking number can read a published reply."),
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="interaction_status_created")]

    def __str__(self):
        return self.tracking_number

    @property
    def excerpt(self) -> str:
        return self.content if len(self.content) <= 60 else self.content[:60] + "…"

    @property
    def public_reply(self) -> str:
        """The reply as the public may read it ("" while none is published)."""
        if self.status == self.Status.ANSWERED and self.reply_published:
            return self.reply
        return ""


class UsedChallenge(models.Model):
    """A human-check token already submitted: each one counts once.
    ``message`` is what it produced: a second click on "submit" then shows
    the same receipt instead of an error."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)
    accepted = models.BooleanField(default=False)  # answered right
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("used human check")
        verbose_name_plural = _("used human checks")

    def __str__(self):
        return self.nonce


class RateLimitHit(models.Model):
    """One counted request of a client (its address as a salted hash), kept a day."""

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rate-limit hit")
        verbose_name_plural = _("rate-limit hits")
        indexes = [models.Index(fields=["scope", "client", "at"], name="interaction_hit_lookup")]

    def __str__(self):
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M:%S}"
