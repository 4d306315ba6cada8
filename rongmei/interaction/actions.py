"""State changes of public messages: each a named function, in one
transaction, audited; the public form, the admin and (later) the inbox
call these.

A citizen's message is audited without who or where from: the audit log
would otherwise keep the address of someone who did not sign in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongmei.core import audit
from rongmei.core.models import AuditEntry
from rongmei.interaction.models import REPLY_LIMIT, Message, MessageCategory
from rongmei.interaction.tracking import new_tracking_number

REPLY = "interaction.change_message"


class MessageRefused(Exception):
    """An action that cannot be done; ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def receive(
    *,
    category: MessageCategory,
    content: str,
    language: str = "zh-hans",
    name: str = "",
    phone: str = "",
    email: str = "",
    source: str = Message.Source.WEBSITE,
) -> Message:
    """Store a citizen's message, received now, under a new tracking number."""
    for _attempt in range(10):
        try:
            with transaction.atomic(), audit.audit_context(via=AuditEntry.Via.WEB):
                message = Message.objects.create(
                    tracking_number=new_tracking_number(),
                    source=source,
                    language=language,
                    category=category,
                    content=content,
                    name=name,
                    phone=phone,
                    email=email,
                )
                audit.record(
                    "interaction.message.receive",
                    message,
                    data={"source": source, "language": language, "category": category.name},
                )
            return message
        except IntegrityError:
            continue  # the tracking number was drawn before: draw another
    raise RuntimeError("No free tracking number was drawn in 10 tries")


def answer(message: Message, *, user, reply: str, publish: bool = True) -> Message:
    """Answer a message: it becomes answered (first answer time kept when
    the reply is revised), and the reply is shown on the lookup page when
    ``publish``."""
    if user is None or not user.has_perm(REPLY):
        raise PermissionDenied
    reply = (reply or "").replace("\r\n", "\n").strip()
    if not reply:
        raise MessageRefused(_("Write the reply."))
    if len(reply) > REPLY_LIMIT:
        raise MessageRefused(_("A reply may have at most %(limit)d characters.") % {"limit": REPLY_LIMIT})
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        previous = message.status
        message.reply = reply
        message.reply_published = publish
        message.replied_by = user
        message.status = Message.Status.ANSWERED
        message.answered_at = message.answered_at or timezone.now()
        message.save(update_fields=["reply", "reply_published", "replied_by", "status", "answered_at"])
        audit.record(
            "interaction.message.answer",
            message,
            actor=user,
            data={"previous_status": previous, "published": publish, "reply": reply},
        )
    return message
