"""Tracking numbers of messages: readable, never sequential, not guessable.

``XC20260115-7KM2QD``: a prefix, the day received, and six random
characters of Crockford's base-32 alphabet (no I, L, O or U, so nothing
is misread); about a billion numbers a day, drawn with :mod:`secrets`."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 6
# What a citizen may have typed for the letters that are not in the alphabet.
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def prefix() -> str:
    """The center's prefix (``RONGMEI_TRACKING_PREFIX``, letters only; "XC" by default)."""
    value = str(getattr(settings, "RONGMEI_TRACKING_PREFIX", "") or "XC").upper()
    return value if re.fullmatch(r"[A-Z]{1,6}", value) else "XC"


def new_tracking_number(now=None) -> str:
    day = timezone.localdate(now).strftime("%Y%m%d")
    return f"{prefix()}{day}-" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


def normalise(text: str) -> str | None:
    """The tracking number a citizen typed, as stored (case, spaces, hyphens
    and misread letters forgiven); None when it cannot be one."""
    compact = re.sub(r"[\s\-_]", "", (text or "").upper())
    head = prefix()
    if not compact.startswith(head):
        return None
    rest = compact[len(head) :].translate(_MISREAD)
    match = re.fullmatch(rf"(\d{{8}})([{ALPHABET}]{{{RANDOM_LENGTH}}})", rest)
    return f"{head}{match.group(1)}-{match.group(2)}" if match else None
