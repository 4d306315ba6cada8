"""Secrets at rest (channel credentials, access tokens, webhook keys),
encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``).

The key is the one in the file named by ``RONGMEI_CREDENTIALS_KEY_FILE``
(a Fernet key, as ``rongmei manage generate_credentials_key`` would print),
else one derived with HKDF from Django's ``SECRET_KEY`` (itself
``RONGMEI_SECRET_KEY`` or the data dir's ``secret_key`` file). A separate key
file lets a center rotate the web secret without losing its credentials.

Nothing decrypted is ever logged, shown in the admin or returned by the API:
only :func:`mask` of it."""

from __future__ import annotations

import base64
import json
import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

KEY_FILE_VARIABLE = "RONGMEI_CREDENTIALS_KEY_FILE"


class SecretError(Exception):
    """A stored secret cannot be read with this key (wrong or rotated key)."""


def _derived_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"rongmei-credentials", info=b"fernet v1")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@lru_cache(maxsize=4)
def _fernet(key_file: str, secret_key: str) -> Fernet:
    if key_file:
        return Fernet(Path(key_file).read_text().strip().encode())
    return Fernet(_derived_key(secret_key))


def fernet() -> Fernet:
    return _fernet(os.environ.get(KEY_FILE_VARIABLE, ""), settings.SECRET_KEY)


def encrypt(value: dict) -> str:
    """A dict of secrets as one Fernet token (text); an empty dict as ''."""
    if not value:
        return ""
    return fernet().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def decrypt(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise SecretError("stored secrets cannot be decrypted with this key") from exc


def mask(value: str) -> str:
    """What may be shown of a secret: that it is set, and its last two characters."""
    value = str(value or "")
    return "" if not value else "•" * 6 + (value[-2:] if len(value) > 8 else "")
