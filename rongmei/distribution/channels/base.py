"""The one interface every channel adapter follows.

An adapter is a module-level object of a subclass of :class:`Adapter`,
registered in :mod:`rongmei.distribution.channels` under its ``code``. The
queue (:mod:`rongmei.distribution.queue`) calls, for one delivery:

- :meth:`Adapter.prepare`: check the approved payload and turn it into
  what the platform wants; a problem is a :class:`Permanent` error, before
  anything was sent;
- :meth:`Adapter.deliver`: do the steps, each through :meth:`Context.step`
  (may be redone) or :meth:`Context.once` (must not be done twice), and
  return an outcome: :class:`Delivered` once the platform has confirmed it,
  :class:`Waiting` when the platform is still working on it (then
  :meth:`Adapter.poll` is called later), or :class:`ManualCheck`;
- :meth:`Adapter.poll`: ask the platform how an accepted job ended;
- :meth:`Adapter.reconcile`: after a crash in the middle of a ``once`` step,
  find out whether the platform did it; raise :class:`CannotTell` where it
  cannot say (the delivery then waits for a person);
- :meth:`Adapter.fetch_metrics` and :meth:`Adapter.fetch_comments`: for
  the analytics and the interaction inbox;
- :meth:`Adapter.test_connection`: the account's "test connection" action.

Errors the adapter raises, and what the queue does with them:
:class:`Permanent` fails at once with the channel's message in plain
Chinese; :class:`Temporary` retries with backoff; :class:`RateLimited`
waits until ``reset_at``; :class:`Uncertain` (the request may have reached
the platform) keeps the step's intent, so the next attempt reconciles
first. An expired token is the adapter's own business: refresh, and repeat
the call once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx


class DeliveryError(Exception):
    """Base of the errors an adapter raises; ``message`` is for people (Chinese in the UI)."""

    def __init__(self, message: str, *, code: str = "", detail: Any = None):
        super().__init__(message)
        self.message = message
        self.code = str(code or "")
        self.detail = detail


class Permanent(DeliveryError):
    """Bad request, content refused, no permission: retrying will not help."""


class Temporary(DeliveryError):
    """A 5xx, a timeout before anything was sent, a busy platform: retry later."""


class RateLimited(Temporary):
    """The platform's limit is used up until ``reset_at``."""

    def __init__(self, message: str, *, reset_at: dt.datetime, code: str = ""):
        super().__init__(message, code=code)
        self.reset_at = reset_at


class Uncertain(Temporary):
    """The request may have reached the platform: do not repeat the step blindly."""


class CannotTell(DeliveryError):
    """The platform offers no way to check whether a step was done."""


class CommentsUnavailable(Permanent):
    """The account's API permissions do not cover reading comments: the
    inbox marks the source unavailable instead of retrying for ever."""


class CommentsIncomplete(Temporary):
    """Reading comments stopped at its page or time limit (the platform
    errs, or pages for ever); ``partial`` holds what was read before."""

    def __init__(self, message: str, *, partial: list | None = None, code: str = "incomplete"):
        super().__init__(message, code=code)
        self.partial = partial or []


class PageGuard:
    """Bounds one paged read: at most ``max_pages`` pages and ``max_seconds``
    seconds, and stops when a page repeats one already seen (a platform
    that pages for ever). :meth:`check` raises :class:`CommentsIncomplete`."""

    def __init__(self, what: str, found: list, *, max_pages: int = 0, max_seconds: float = 0.0):
        import time

        self.what, self.found = what, found
        self.max_pages = max_pages or COMMENT_MAX_PAGES
        self.max_seconds = max_seconds or COMMENT_MAX_SECONDS
        self.pages = 0
        self.started = time.monotonic()
        self.seen: set = set()

    def check(self, page_key) -> None:
        """Call before reading each page; ``page_key`` identifies it (a cursor or an offset)."""
        import time

        if page_key in self.seen:
            raise CommentsIncomplete(
                f"{self.what}：平台重复返回同一页（{page_key}），已停止读取，本次已读到 {len(self.found)} 条。",
                partial=self.found, code="loop",
            )  # fmt: skip
        self.seen.add(page_key)
        self.pages += 1
        if self.pages > self.max_pages:
            raise CommentsIncomplete(
                f"{self.what}：超过 {self.max_pages} 页仍未读完，已停止读取，本次已读到 {len(self.found)} 条。",
                partial=self.found, code="pages",
            )  # fmt: skip
        if time.monotonic() - self.started > self.max_seconds:
            raise CommentsIncomplete(
                f"{self.what}：超过 {self.max_seconds:.0f} 秒仍未读完，已停止读取，本次已读到 {len(self.found)} 条。",
                partial=self.found, code="time",
            )  # fmt: skip

    def check_ids(self, ids: list) -> None:
        """A page whose items were all seen before: the platform loops."""
        ids = [i for i in ids if i]
        if ids and all(i in self.seen for i in ids):
            raise CommentsIncomplete(
                f"{self.what}：平台反复返回已读过的评论，已停止读取，本次已读到 {len(self.found)} 条。",
                partial=self.found, code="loop",
            )  # fmt: skip
        self.seen.update(ids)


# The bounds of one fetch_comments call (all posts of one account together).
COMMENT_MAX_PAGES = 200
COMMENT_MAX_SECONDS = 120.0


class LeaseLost(Exception):
    """Another worker took the delivery over (this one was too slow): stop quietly."""


@dataclass
class Delivered:
    external_id: str
    url: str = ""
    message: str = ""


@dataclass
class Waiting:
    """The platform accepted the job and works on it; poll again after ``seconds``."""

    seconds: float
    message: str = ""


@dataclass
class ManualCheck:
    """A person has to act or look: ``instructions`` say what to do."""

    instructions: str


Outcome = Delivered | Waiting | ManualCheck


@dataclass
class Metric:
    name: str
    value: float
    day: dt.date
    external_id: str = ""


@dataclass
class Comment:
    external_id: str
    author: str
    text: str
    posted_at: dt.datetime
    url: str = ""
    parent_external_id: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Context:
    """What an adapter works with for one delivery: the channel, its
    credentials, an HTTP client through the channel's address and proxy,
    the approved payload, and the checkpoint of steps already done.
    ``save`` persists the checkpoint (and renews the lease) or raises
    :class:`LeaseLost`."""

    channel: Any
    delivery: Any
    credentials: dict
    http: httpx.Client
    checkpoint: dict
    save: Callable[[dict], None]
    reconcile: Callable[[str], Any] | None = None
    dirty: bool = False

    @property
    def payload(self) -> dict:
        return self.delivery.payload

    @property
    def options(self) -> dict:
        return self.channel.options or {}

    def _steps(self) -> dict:
        return self.checkpoint.setdefault("steps", {})

    def done(self, name: str) -> Any:
        return self._steps().get(name)

    def record(self, name: str, result: Any) -> Any:
        """Keep a step's result. It is written with the next write of the
        checkpoint (the next step's intent, or the delivery's end state):
        a crash before that leaves the step's intent without a result,
        which is exactly a crash during the call, and is reconciled so."""
        self._steps()[name] = result
        intents = self.checkpoint.setdefault("intents", [])
        if name in intents:
            intents.remove(name)
        self.dirty = True
        return result

    def flush_always(self) -> None:
        self.save(self.checkpoint)
        self.dirty = False

    def flush(self) -> None:
        """Write the checkpoint now, if a result is not yet written."""
        if self.dirty:
            self.save(self.checkpoint)
            self.dirty = False

    def step(self, name: str, call: Callable[[], Any]) -> Any:
        """A step that may be redone (an image upload): its result is kept."""
        if name in self._steps():
            return self._steps()[name]
        return self.record(name, call())

    def once(self, name: str, call: Callable[[], Any]) -> Any:
        """A step that must not happen twice (posting, publishing). Its
        intent is saved before the call; if a crash leaves the intent
        without a result, the adapter's ``reconcile`` decides."""
        steps = self._steps()
        if name in steps:
            return steps[name]
        intents = self.checkpoint.setdefault("intents", [])
        if name in intents:
            if self.reconcile is None:
                raise CannotTell(name)
            found = self.reconcile(name)
            if found is not None:
                return self.record(name, found)
            # The platform says it was not done: do it now.
        else:
            intents.append(name)
            self.save(self.checkpoint)  # with any result not yet written
            self.dirty = False
        try:
            result = call()
        except Uncertain:
            raise  # the intent stays: the next attempt reconciles
        except DeliveryError:
            self.checkpoint["intents"] = [i for i in intents if i != name]  # known not done
            self.flush_always()
            raise
        return self.record(name, result)


class Adapter:
    """Base of the channel adapters; see the module's docstring."""

    code = ""
    label = ""
    default_base_url = ""
    # How long a delivery may take in all before it ends (failed, or waiting
    # for a person when a step's outcome is unknown).
    give_up_after = dt.timedelta(hours=6)
    max_attempts = 10
    # Whether reconcile can tell if a "once" step happened.
    can_check = False
    # The HTTP timeout of each call: (connect, read) seconds.
    timeout = (5.0, 20.0)

    def prepare(self, delivery) -> None:
        """Check the payload before anything is sent; raise :class:`Permanent`."""

    def deliver(self, context: Context) -> Outcome:
        raise NotImplementedError

    def poll(self, context: Context) -> Outcome:
        raise Permanent("此渠道没有发布结果可以查询。")

    def reconcile(self, context: Context, step: str) -> Any:
        """The result of ``step`` if the platform did it, None if it did not;
        :class:`CannotTell` where the platform cannot say."""
        raise CannotTell(step)

    def fetch_metrics(self, channel, since: dt.date) -> list[Metric]:
        return []

    def fetch_comments(self, channel, since: dt.datetime) -> list[Comment]:
        """Comments newer than ``since``; paging bounded by :class:`PageGuard`.
        Raises :class:`CommentsUnavailable` when the account may not read them."""
        return []

    def reply(self, channel, comment: dict, text: str) -> str:
        """Answer a comment in public on the platform; returns the reply's
        id there. ``comment``: ``external_id``, ``thread_id`` and ``author``
        of the comment. Raises a :class:`DeliveryError` when the platform
        refuses: the reply is then failed, never shown as sent."""
        raise Permanent("此平台不支持通过接口回复评论，请到平台上手动回复后在此登记。", code="no_reply")

    def test_connection(self, channel, http: httpx.Client) -> str:
        """A short sentence saying the account works; raise a DeliveryError if not."""
        raise Permanent("此渠道不需要连接测试。")

    def manual_instructions(self, delivery) -> str:
        return "平台未能确认此次发布是否成功：请到平台后台核实，已发布的请登记链接，未发布的请重试。"


def http_failure(exc: httpx.HTTPError, what: str) -> DeliveryError:
    """An httpx failure as our error: a request that never left (connect
    errors) is Temporary; one that may have arrived (read timeout, a broken
    answer) is Uncertain."""
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError, httpx.PoolTimeout)):
        return Temporary(f"{what}：无法连接平台（{type(exc).__name__}），稍后重试。", code="connect")
    if isinstance(exc, httpx.TimeoutException):
        return Uncertain(f"{what}：平台在规定时间内没有应答，稍后核实后重试。", code="timeout")
    return Uncertain(f"{what}：与平台的通信中断（{type(exc).__name__}）。", code="transport")
