"""Getting items into the inbox: from the channels' comments, the website
form, a hotline spreadsheet and manual entry. Whatever the source, items
go through :func:`ingest`: cleaned, classified, graded, given deadlines,
and stored once — the pair (source, id at the source) is unique, and a
pull that finds an item again changes nothing.

:func:`pull_all` is what the periodic task runs: each source's outcome is
kept in :class:`SourceState`; an error is retried at the next pull and
shown on the dashboard, a missing permission marks the source unavailable
(not asked again until re-enabled), a source that errs or pages for ever
is cut off at its bounds and what was read before is kept."""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from dataclasses import dataclass
from functools import partial
from operator import attrgetter

from django.db import models, transaction
from django.utils import timezone

from rongmei.core import audit
from rongmei.core.models import AuditEntry
from rongmei.interaction import deadlines
from rongmei.interaction.classify import Classifier, clean_text
from rongmei.interaction.models import (
    CHANNEL_SOURCES,
    ITEM_CONTENT_LIMIT,
    Item,
    Message,
    Source,
    SourceState,
)

logger = logging.getLogger(__name__)

# Items are classified and written 5,000 at a time, each batch in one
# transaction: on SQLite a commit of 1,000 rows cost more than their insert
# (every index of the table is touched at random places, and the pages go to
# the WAL and, at each checkpoint, to disk); 5,000 share those pages, at
# about a second of holding the write lock.
BATCH = 5000
FIRST_PULL_DAYS = 7  # how far back the first pull of a channel looks
OVERLAP = dt.timedelta(hours=1)  # later pulls look this far before the last good one


_ROW_DEFAULTS = (
    ("source", ""), ("external_id", ""), ("channel_id", None), ("message_id", None), ("url", ""),
    ("thread_id", ""), ("author", ""), ("contact", ""), ("content", ""), ("truncated", False),
    ("posted_at", None), ("pulled_at", None), ("category_by", "lexicon"), ("topic", ""), ("grade", "normal"),
    ("grade_reasons", ()), ("grade_by_person", False), ("level", "center"), ("department_id", None),
    ("assignee_id", None), ("flagged", False), ("flagged_terms", ()), ("status", "new"),
    ("first_response_at", None), ("resolved_at", None), ("first_response_due", None), ("resolution_due", None),
    ("due_at", None),
)  # fmt: skip


@dataclass
class Incoming:
    """One item as a source hands it over."""

    source: str
    external_id: str
    content: str
    posted_at: dt.datetime
    author: str = ""
    url: str = ""
    thread_id: str = ""
    contact: str = ""
    channel_id: int | None = None
    message_id: int | None = None


class Row:
    """An item on its way in: the attributes the classifier, the grader and
    the deadlines read and set, written to the table by :func:`_insert`
    (cheaper than building model instances for thousands of rows). What is
    not given keeps the class's default."""

    category = None

    def __init__(self, **values):
        self.__dict__.update(values)

    @property
    def category_id(self):
        return self.category.pk if self.category is not None else None


for _name, _default in _ROW_DEFAULTS:
    setattr(Row, _name, _default)


def _item(incoming: Incoming, now: dt.datetime) -> Row | None:
    content = clean_text(incoming.content)
    if not content or not incoming.external_id:
        return None
    posted_at = incoming.posted_at
    if timezone.is_naive(posted_at):
        posted_at = timezone.make_aware(posted_at)
    return Row(
        source=incoming.source,
        external_id=str(incoming.external_id)[:200],
        channel_id=incoming.channel_id,
        message_id=incoming.message_id,
        url=(incoming.url or "")[:500],
        thread_id=str(incoming.thread_id or "")[:200],
        author=clean_text(incoming.author)[:100],
        contact=clean_text(incoming.contact)[:100],
        content=content[:ITEM_CONTENT_LIMIT],
        truncated=len(content) > ITEM_CONTENT_LIMIT,
        posted_at=min(posted_at, now),
        pulled_at=now,
    )


_COLUMNS = (*(name for name, _default in _ROW_DEFAULTS), "category_id")
# Columns whose values need the database's adapter (read from the model, so
# that a new date or JSON field on Item cannot be written unconverted).
_JSON_COLUMNS = tuple(name for name in _COLUMNS if isinstance(Item._meta.get_field(name), models.JSONField))
_DATETIME_COLUMNS = tuple(name for name in _COLUMNS if isinstance(Item._meta.get_field(name), models.DateTimeField))


def _insert(rows: list[Row]) -> int:
    """Write the rows in one statement per batch; a row whose (source, id)
    is already stored (a concurrent pull) is skipped by the database."""
    from django.db import connection

    table = connection.ops.quote_name(Item._meta.db_table)
    column_of = {f.attname: f.column for f in Item._meta.concrete_fields}
    names = ", ".join(connection.ops.quote_name(column_of[c]) for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    # Names from the model's own metadata; every value is a parameter.
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608
    if connection.vendor == "sqlite":  # what Django writes: naive UTC, as text

        def adapt(value):
            return str(value.astimezone(dt.UTC).replace(tzinfo=None))

    else:
        adapt = connection.ops.adapt_datetimefield_value
    # What JSONField.get_db_prep_save gives, without its steps.
    converters = [(_COLUMNS.index(name), adapt) for name in _DATETIME_COLUMNS] + [
        (_COLUMNS.index(name), partial(connection.ops.adapt_json_value, encoder=Item._meta.get_field(name).encoder))
        for name in _JSON_COLUMNS
    ]
    values_of = attrgetter(*_COLUMNS)
    params = []
    for row in rows:
        values = list(values_of(row))
        for index, convert in converters:
            if values[index] is not None:
                values[index] = convert(values[index])
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        written = cursor.rowcount
    return written if written is not None and written >= 0 else len(rows)


class _Writer:
    """Writes the classified batches, each in a transaction of its own: in a
    thread of its own (with its own connection) while the next batch is
    classified, so the database's work (on SQLite, C code that releases the
    interpreter lock; on PostgreSQL, its own process) overlaps the
    classifier's; inline, in the caller's transaction, when ``ingest`` runs
    inside one (the website form, manual entry, an import), where the rows
    must commit or roll back with the rest. At most one batch waits."""

    def __init__(self, threaded: bool):
        self.created = self.duplicates = 0
        self.error: BaseException | None = None
        self.queue: queue.Queue | None = queue.Queue(maxsize=1) if threaded else None
        self.thread = threading.Thread(target=self._run, name="inbox-writer", daemon=True) if threaded else None
        if self.thread is not None:
            self.thread.start()

    def _write(self, rows: list[Row]) -> None:
        with transaction.atomic():
            written = _insert(rows)
        self.created += written
        self.duplicates += len(rows) - written

    def _run(self) -> None:
        from django.db import connection

        try:
            while (rows := self.queue.get()) is not None:
                if self.error is None:  # after an error, the rest is drained, not written
                    try:
                        self._write(rows)
                    except BaseException as error:  # handed to the caller's thread
                        self.error = error
        finally:
            connection.close()

    def write(self, rows: list[Row]) -> None:
        if self.error is not None:
            raise self.error
        if self.queue is None:
            self._write(rows)
        else:
            self.queue.put(rows)

    def finish(self) -> None:
        """Wait for the last batch; raise the writer's error, if any."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


def ingest(incoming: list[Incoming], *, classifier: Classifier | None = None, batch: int = BATCH) -> dict:
    """Store the new ones of ``incoming``; ``{"created": n, "duplicates": n, "empty": n}``.
    Several batches outside a transaction are written by a second thread
    (see :class:`_Writer`); an error writing a batch stops the rest, and the
    batches before it stay written."""
    from django.db import connection

    now = timezone.now()
    classifier = classifier or Classifier()
    classifier.grader.cover(
        [t if timezone.is_aware(t) else timezone.make_aware(t) for t in (e.posted_at for e in incoming) if t]
    )
    policies = deadlines.policies()
    duplicates = empty = 0
    seen = set()  # over the whole call: a repeat in a later batch may not be written yet
    writer = _Writer(threaded=len(incoming) > batch and not connection.in_atomic_block)
    try:
        for start in range(0, len(incoming), batch):
            items = []
            for entry in incoming[start : start + batch]:
                item = _item(entry, now)
                if item is None:
                    empty += 1
                    continue
                key = (item.source, item.external_id)
                if key in seen:
                    duplicates += 1
                    continue
                seen.add(key)
                items.append(item)
            stored = set()
            for source in {item.source for item in items}:
                ids = [item.external_id for item in items if item.source == source]
                stored |= {
                    (source, external_id)
                    for external_id in Item.objects.filter(source=source, external_id__in=ids).values_list(
                        "external_id", flat=True
                    )
                }
            fresh = [item for item in items if (item.source, item.external_id) not in stored]
            duplicates += len(items) - len(fresh)
            if not fresh:
                continue
            classifier.apply(fresh)
            for item in fresh:
                deadlines.set_due(item, policies)
            writer.write(fresh)
    finally:
        writer.finish()
    return {"created": writer.created, "duplicates": duplicates + writer.duplicates, "empty": empty}


# -- the website form


def website_incoming(message: Message) -> Incoming:
    return Incoming(
        source=Source.WEBSITE,
        external_id=message.tracking_number,
        content=message.content,
        posted_at=message.created_at,
        author=message.name,
        contact=message.phone or message.email,
        message_id=message.pk,
    )


def pull_website() -> dict:
    """Website messages not yet in the inbox (the form adds each one at
    once; this catches those from before the inbox, or a failed add)."""
    missing = list(Message.objects.filter(item__isnull=True).order_by("created_at"))
    result = ingest([website_incoming(m) for m in missing])
    answered = Item.objects.filter(
        source=Source.WEBSITE, message__status=Message.Status.ANSWERED, first_response_at__isnull=True
    )
    for item in answered.select_related("message"):
        deadlines.mark_answered(item, item.message.answered_at)
    return result


# -- the channels


def _state(key: str, label: str) -> SourceState:
    state, _ = SourceState.objects.get_or_create(key=key, defaults={"label": label})
    return state


def pull_channel(channel) -> dict:
    """The comments of one channel since its last good pull."""
    from rongmei.distribution.channels import adapter_for
    from rongmei.distribution.channels.base import CommentsIncomplete, CommentsUnavailable, DeliveryError

    source = CHANNEL_SOURCES[channel.kind]
    state = _state(f"channel:{channel.pk}", channel.name)
    if state.state == SourceState.State.UNAVAILABLE:
        return {"skipped": "unavailable"}
    now = timezone.now()
    since = (state.last_success_at - OVERLAP) if state.last_success_at else now - dt.timedelta(days=FIRST_PULL_DAYS)
    comments, problem, new_state = [], "", SourceState.State.OK
    try:
        comments = adapter_for(channel).fetch_comments(channel, since)
    except CommentsUnavailable as error:
        problem, new_state = error.message, SourceState.State.UNAVAILABLE
    except CommentsIncomplete as error:
        comments, problem, new_state = error.partial, error.message, SourceState.State.ERROR
    except DeliveryError as error:
        problem, new_state = error.message, SourceState.State.ERROR
    except Exception as error:  # an adapter's bug must not stop the other sources
        logger.exception("Pulling the comments of channel %s failed", channel.pk)
        problem, new_state = f"读取评论时出错：{type(error).__name__}", SourceState.State.ERROR
    result = ingest(
        [
            Incoming(
                source=source,
                external_id=c.external_id,
                content=c.text,
                posted_at=c.posted_at,
                author=c.author,
                url=c.url,
                thread_id=c.parent_external_id,
                channel_id=channel.pk,
            )
            for c in comments
        ]
    )
    state.label = channel.name
    state.last_pulled_at = now
    state.state = new_state
    state.message = problem
    if new_state == SourceState.State.OK:
        state.last_success_at = now
    state.pulled_count += result["created"]
    state.save()
    if problem:
        audit.record("interaction.source.alert", state, data={"state": new_state, "message": problem, **result})
    return {**result, "state": new_state, "message": problem}


def pull_all() -> dict:
    """Every source once (the periodic task)."""
    from rongmei.distribution.models import Channel

    summary = {}
    with audit.audit_context(via=AuditEntry.Via.WORKER):
        website = pull_website()
        summary["website"] = website
        state = _state(Source.WEBSITE, "网站留言")
        state.last_pulled_at = state.last_success_at = timezone.now()
        state.state, state.message = SourceState.State.OK, ""
        state.pulled_count += website["created"]
        state.save()
        channels = Channel.objects.filter(is_active=True, transport="platform", kind__in=list(CHANNEL_SOURCES))
        for channel in channels:
            summary[f"channel:{channel.pk}"] = pull_channel(channel)
        created = sum(r.get("created", 0) for r in summary.values())
        if created:
            audit.record("interaction.inbox.pull", data={"created": created})
    return summary


def reenable(state: SourceState, *, user) -> SourceState:
    """Ask an unavailable source again at the next pull (after its permissions were granted)."""
    with transaction.atomic():
        previous = state.state
        state.state, state.message = SourceState.State.OK, ""
        state.save(update_fields=["state", "message"])
        audit.record("interaction.source.reenable", state, actor=user, data={"previous": previous})
    return state
