"""The human check of the public form, without any third-party service: a
small sum whose answer travels in a signed token.

The token holds a random nonce and a keyed digest of the answer (so a
script cannot read the answer out of it), is signed with a timestamp and
valid for an hour, and counts once: its nonce is written to the database
when it is submitted, whatever the answer, so that no process serving the
site accepts it again."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from rongmei.interaction.models import UsedChallenge

MAX_AGE = 3600  # seconds a question may be answered
SALT = "rongmei.interaction.challenge"


class Outcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    REUSED = "reused"
    INVALID = "invalid"


@dataclass(frozen=True)
class Challenge:
    a: int
    b: int
    op: str  # "+" or "-"
    token: str

    def question(self, texts: dict) -> str:
        op = texts["plus"] if self.op == "+" else texts["minus"]
        return texts["question"] % {"a": self.a, "op": op, "b": self.b}


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    used: UsedChallenge | None = None  # for REUSED: the earlier use


class _Signer(signing.TimestampSigner):
    """Django's timestamp signer, signing as of ``at`` (seconds since the epoch)."""

    def __init__(self, at: float | None = None):
        super().__init__(salt=SALT)
        self.at = at

    def timestamp(self):
        return signing.b62_encode(int(self.at if self.at is not None else time.time()))


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()[:24]


def new(*, issued_at: float | None = None) -> Challenge:
    """A fresh question and its token (``issued_at``: as if asked then)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    op = "+" if secrets.randbelow(2) else "-"
    if op == "-" and a < b:
        a, b = b, a
    answer = a + b if op == "+" else a - b
    nonce = secrets.token_hex(12)
    return Challenge(a, b, op, _Signer(issued_at).sign(f"{nonce}:{_digest(nonce, answer)}"))


def _parse_answer(text: str) -> int | None:
    try:
        return int((text or "").strip())  # int() reads full-width digits too (１２)
    except ValueError:
        return None


def verify(token: str, answer_text: str) -> Verdict:
    """Check an answer and use up its token (whatever the answer)."""
    try:
        value = _Signer().unsign(token or "", max_age=MAX_AGE)
    except signing.SignatureExpired:
        return Verdict(Outcome.EXPIRED)
    except signing.BadSignature:
        return Verdict(Outcome.INVALID)
    nonce, _, digest = value.partition(":")
    now = timezone.now()
    UsedChallenge.objects.filter(used_at__lt=now - dt.timedelta(seconds=2 * MAX_AGE)).delete()
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(nonce=nonce, used_at=now)
    except IntegrityError:
        return Verdict(Outcome.REUSED, UsedChallenge.objects.filter(nonce=nonce).select_related("message").first())
    answer = _parse_answer(answer_text)
    if answer is None or not constant_time_compare(digest, _digest(nonce, answer)):
        return Verdict(Outcome.WRONG)
    UsedChallenge.objects.filter(nonce=nonce).update(accepted=True)
    return Verdict(Outcome.OK, UsedChallenge.objects.get(nonce=nonce))
