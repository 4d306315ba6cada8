"""State changes of public messages: each a named function, in one
transaction, audited; the public form, the admin and (later) the inbox
call these.

A citizen's message is audited without who or where from: the audit log
would otherwise keep the address of someone who did not sign in."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongmei.core import audit
from rongmei.core.models import AuditEntry
from rongmei.interaction import deadlines
from rongmei.interaction.models import REPLY_LIMIT, Item, Message, MessageCategory
from rongmei.interaction.tracking import new_tracking_number

logger = logging.getLogger(__name__)

REPLY = "interaction.change_message"
# The inbox (多平台互动).
VIEW_ITEMS = "interaction.view_item"
HANDLE_ITEMS = "interaction.change_item"
ADD_ITEMS = "interaction.add_item"
REVIEW_REPLIES = "interaction.review_reply"
MAKE_CLUES = "interaction.add_clue"


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
            _to_inbox(message)
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
        item = Item.objects.filter(message=message).first()
        if item is not None and item.first_response_at is None:
            previous_item = item.status
            deadlines.mark_answered(item, message.answered_at)
            audit.record("interaction.item.status", item, actor=user,
                         data={"from": previous_item, "to": item.status, "via": "website"})  # fmt: skip
    return message


_answer_message = answer  # the website's answer flow, under a name _send's variables do not hide


def _to_inbox(message: Message) -> None:
    """Put a website message into the inbox at once. A failure here does
    not lose the message: the periodic pull adds what is missing."""
    from rongmei.interaction import intake

    try:
        with transaction.atomic():
            intake.ingest([intake.website_incoming(message)])
    except Exception:
        logger.exception("Message %s could not be added to the inbox now; the next pull adds it", message.pk)


# -- the inbox (多平台互动): every change a named, audited function


def _require(user, perm: str) -> None:
    if user is None or not user.has_perm(perm):
        raise PermissionDenied


def _status(item: Item, status: str, user, **data) -> None:
    """Change the item's status (saved by the caller) and audit it."""
    previous = item.status
    item.status = status
    item.due_at = deadlines.next_due(item)
    audit.record("interaction.item.status", item, actor=user, data={"from": previous, "to": status, **data})


def add_manual(*, user, source: str, content: str, author: str = "", contact: str = "", posted_at=None,
               external_id: str = "") -> Item:  # fmt: skip
    """Enter a letter, a call or a visit by hand."""
    import uuid

    from rongmei.interaction import intake
    from rongmei.interaction.models import MANUAL_SOURCES

    _require(user, ADD_ITEMS)
    if source not in MANUAL_SOURCES:
        raise MessageRefused(_("Choose letter, phone call or visit."))
    if not (content or "").strip():
        raise MessageRefused(_("Write what the citizen said."))
    external_id = (external_id or "").strip() or f"M-{uuid.uuid4().hex[:16]}"
    with transaction.atomic():
        result = intake.ingest([intake.Incoming(source=source, external_id=external_id, content=content,
                                                author=author, contact=contact,
                                                posted_at=posted_at or timezone.now())])  # fmt: skip
        if not result["created"]:
            raise MessageRefused(_("An item with this number is already in the inbox."))
        item = Item.objects.get(source=source, external_id=external_id)
        audit.record("interaction.item.add", item, actor=user, data={"source": source})
    return item


def correct_category(item: Item, *, user, category) -> Item:
    """A person sets (or confirms) the category: it then trains the classifier."""
    _require(user, HANDLE_ITEMS)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        previous = (item.category.name if item.category else "", item.category_by)
        item.category = category
        item.category_by = Item.CategoryBy.PERSON
        item.save(update_fields=["category", "category_by"])
        audit.record("interaction.item.classify", item, actor=user,
                     data={"from": previous[0], "by": previous[1], "to": category.name})  # fmt: skip
    return item


def set_grade(item: Item, *, user, grade: str, reason: str = "") -> Item:
    from rongmei.interaction.models import Grade

    _require(user, HANDLE_ITEMS)
    if grade not in Grade.values:
        raise MessageRefused(_("Unknown grade."))
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("department").get(pk=item.pk)
        previous = item.grade
        item.grade, item.grade_by_person = grade, True
        item.grade_reasons = [*item.grade_reasons, f"人工：{reason}" if reason else "人工调整"]
        resolution_due = item.resolution_due
        deadlines.set_due(item)
        if item.department_id:  # the department's deadline stays as set when it was forwarded
            item.resolution_due = resolution_due
        item.due_at = deadlines.next_due(item)
        item.save(update_fields=["grade", "grade_by_person", "grade_reasons", "first_response_due",
                                 "resolution_due", "due_at"])  # fmt: skip
        audit.record("interaction.item.grade", item, actor=user, data={"from": previous, "to": grade, "reason": reason})
    return item


def assign(item: Item, *, user, assignee=None, department=None) -> Item:
    """Give the item to a person of the center, or forward it to a
    department (level 分层: then its answer deadline applies)."""
    _require(user, HANDLE_ITEMS)
    if assignee is None and department is None:
        raise MessageRefused(_("Choose a person or a department."))
    if assignee is not None and not assignee.has_perm(HANDLE_ITEMS):
        raise MessageRefused(_("%(name)s may not handle inbox items.") % {"name": assignee.get_username()})
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        before = {"assignee": item.assignee_id, "department": item.department_id, "level": item.level}
        fields = ["assignee", "department", "level", "status", "due_at", "resolution_due"]
        item.assignee = assignee
        if department is not None:
            from rongmei.interaction.models import Level

            item.department, item.level = department, Level.DEPARTMENT
            item.resolution_due = timezone.now() + dt.timedelta(hours=department.answer_hours)
        audit.record("interaction.item.assign", item, actor=user, data={
            "before": before, "assignee": assignee.get_username() if assignee else "",
            "department": department.name if department else "",
        })  # fmt: skip
        if item.status == Item.Status.NEW:
            _status(item, Item.Status.ASSIGNED, user)
        item.due_at = deadlines.next_due(item)
        item.save(update_fields=fields)
    return item


def reply(item: Item, *, user, text: str, template=None, public: bool = True):
    """Answer an item: sent through its channel (WeChat, Weibo), published
    on the website (website messages), or recorded (letters, calls, the
    hotline, platforms without a reply API). Held for review first when the
    item's grade requires it and the writer may not approve replies."""
    from rongmei.interaction.models import REPLY_THROUGH_CHANNEL, Reply

    _require(user, HANDLE_ITEMS)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise MessageRefused(_("Write the reply."))
    if len(text) > REPLY_LIMIT:
        raise MessageRefused(_("A reply may have at most %(limit)d characters.") % {"limit": REPLY_LIMIT})
    item = Item.objects.select_related("channel", "message").get(pk=item.pk)
    if item.status in (Item.Status.REVIEW,):
        raise MessageRefused(_("A reply to this item is already awaiting review."))
    if item.flagged and item.source in REPLY_THROUGH_CHANNEL:
        raise MessageRefused(_("The item contains sensitive or abusive words: it is not answered in public."))
    public = public and not item.flagged
    needs_review = deadlines.review_required(item.grade) and not user.has_perm(REVIEW_REPLIES)
    with transaction.atomic():
        answer = Reply.objects.create(
            item=item, text=text, public=public, template=template, written_by=user,
            status=Reply.Status.PENDING_REVIEW if needs_review else Reply.Status.FAILED,
        )  # fmt: skip
        audit.record("interaction.reply.write", answer, actor=user,
                     data={"item": item.pk, "review": needs_review, "text": text, "public": public})  # fmt: skip
        if needs_review:
            _status(item, Item.Status.REVIEW, user, reply=answer.pk)
            item.save(update_fields=["status", "due_at"])
            return answer
    return _send(answer, user)


def approve_reply(answer, *, user, note: str = ""):
    """主任 or 终审 approves a held reply; it is then sent."""
    from rongmei.interaction.models import Reply

    _require(user, REVIEW_REPLIES)
    with transaction.atomic():
        answer = Reply.objects.select_for_update().get(pk=answer.pk)
        if answer.status != Reply.Status.PENDING_REVIEW:
            raise MessageRefused(_("This reply is not awaiting review."))
        answer.reviewed_by, answer.reviewed_at, answer.review_note = user, timezone.now(), note[:500]
        answer.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        audit.record("interaction.reply.approve", answer, actor=user, data={"item": answer.item_id, "note": note})
    return _send(answer, user)


def reject_reply(answer, *, user, note: str):
    from rongmei.interaction.models import Reply

    _require(user, REVIEW_REPLIES)
    if not (note or "").strip():
        raise MessageRefused(_("Say why the reply is returned."))
    with transaction.atomic():
        answer = Reply.objects.select_for_update().get(pk=answer.pk)
        if answer.status != Reply.Status.PENDING_REVIEW:
            raise MessageRefused(_("This reply is not awaiting review."))
        answer.status = Reply.Status.REJECTED
        answer.reviewed_by, answer.reviewed_at, answer.review_note = user, timezone.now(), note[:500]
        answer.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit.record("interaction.reply.reject", answer, actor=user, data={"item": answer.item_id, "note": note})
        item = Item.objects.select_for_update().get(pk=answer.item_id)
        _status(item, Item.Status.ASSIGNED if item.assignee_id or item.department_id else Item.Status.NEW, user)
        item.save(update_fields=["status", "due_at"])
    return answer


def _send(answer, user):
    """Deliver an approved (or unreviewed) reply. The channel is called
    outside any transaction; the outcome is written after it answered. A
    refusal leaves the reply failed, with the channel's reason, and the
    item still waiting."""
    from rongmei.distribution.channels import adapter_for
    from rongmei.distribution.channels.base import DeliveryError
    from rongmei.interaction.models import REPLY_THROUGH_CHANNEL, Reply, Source

    item = Item.objects.select_related("channel", "message").get(pk=answer.item_id)
    external_id, error, status = "", "", Reply.Status.SENT
    if item.source == Source.WEBSITE and item.message is not None:
        writer = answer.written_by if answer.written_by and answer.written_by.has_perm(REPLY) else user
        answer_message = item.message
        try:
            _answer_message(answer_message, user=writer, reply=answer.text, publish=answer.public)
        except (MessageRefused, PermissionDenied) as refused:
            status, error = Reply.Status.FAILED, getattr(refused, "message", "") or str(_("Not allowed."))
    elif item.source in REPLY_THROUGH_CHANNEL:
        if item.channel is None:
            status, error = Reply.Status.FAILED, str(_("The channel of this item is gone."))
        else:
            try:
                external_id = adapter_for(item.channel).reply(
                    item.channel, {"external_id": item.external_id, "thread_id": item.thread_id,
                                   "author": item.author}, answer.text,
                )  # fmt: skip
            except DeliveryError as refused:
                status, error = Reply.Status.FAILED, refused.message
            except Exception as broken:  # never show a reply as sent when we do not know
                logger.exception("Reply %s failed", answer.pk)
                status, error = Reply.Status.FAILED, f"{type(broken).__name__}"
    else:
        status = Reply.Status.RECORDED
    with transaction.atomic():
        answer = Reply.objects.select_for_update().get(pk=answer.pk)
        answer.status, answer.error, answer.external_id = status, error, external_id or ""
        answer.sent_at = timezone.now() if status != Reply.Status.FAILED else None
        answer.save(update_fields=["status", "error", "external_id", "sent_at"])
        audit.record("interaction.reply.fail" if status == Reply.Status.FAILED else "interaction.reply.send",
                     answer, actor=user, data={"item": item.pk, "status": status, "error": error})  # fmt: skip
        item = Item.objects.select_for_update().get(pk=item.pk)
        if status == Reply.Status.FAILED:
            if item.status == Item.Status.REVIEW:
                _status(item, Item.Status.ASSIGNED if item.assignee_id or item.department_id else Item.Status.NEW,
                        user, reply_failed=answer.pk)  # fmt: skip
                item.save(update_fields=["status", "due_at"])
        else:
            if item.first_response_at is None:
                item.first_response_at = answer.sent_at
            if item.status in Item.OPEN:
                _status(item, Item.Status.ANSWERED, user, reply=answer.pk)
            item.due_at = deadlines.next_due(item)
            item.save(update_fields=["first_response_at", "status", "due_at"])
    return answer


def resolve(item: Item, *, user, note: str = "") -> Item:
    """The citizen's matter is settled (办结)."""
    _require(user, HANDLE_ITEMS)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.first_response_at is None:
            raise MessageRefused(_("Answer the item before marking it resolved."))
        item.resolved_at = timezone.now()
        _status(item, Item.Status.RESOLVED, user, note=note)
        item.save(update_fields=["status", "resolved_at", "due_at"])
    return item


def close(item: Item, *, user, reason: str) -> Item:
    """No reply is due (spam, a duplicate, abuse): closed, with the reason."""
    _require(user, HANDLE_ITEMS)
    if not (reason or "").strip():
        raise MessageRefused(_("Say why the item is closed without a reply."))
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        _status(item, Item.Status.CLOSED, user, reason=reason)
        item.save(update_fields=["status", "due_at"])
    return item


def reopen(item: Item, *, user) -> Item:
    _require(user, HANDLE_ITEMS)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status not in (Item.Status.RESOLVED, Item.Status.CLOSED):
            raise MessageRefused(_("Only resolved or closed items can be reopened."))
        item.resolved_at = None
        target = Item.Status.ANSWERED if item.first_response_at else Item.Status.NEW
        _status(item, target, user)
        item.save(update_fields=["status", "resolved_at", "due_at"])
    return item


def make_clue(items, *, user, title: str, summary: str = ""):
    """A lead for news planning from one item or a cluster of items."""
    from rongmei.interaction.models import Clue

    _require(user, MAKE_CLUES)
    items = list(items)
    if not items:
        raise MessageRefused(_("Choose at least one item."))
    if not (title or "").strip():
        raise MessageRefused(_("Give the clue a title."))
    with transaction.atomic():
        clue = Clue.objects.create(title=title.strip()[:120], summary=summary, created_by=user)
        clue.items.set(items)
        audit.record("interaction.clue.create", clue, actor=user, data={"items": [i.pk for i in items]})
    return clue
