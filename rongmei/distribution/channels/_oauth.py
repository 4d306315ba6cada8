"""User access tokens that the adapter refreshes itself (Douyin, Kuaishou):
the operator enters ``access_token`` and ``refresh_token`` with the account;
a refreshed pair is kept, encrypted, in the channel's :class:`AccessToken`
row and shared by every worker.

The row remembers a fingerprint of the credentials' token it replaced: when
an operator re-authorises and enters new credentials, those win again."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from rongmei.core import secrets
from rongmei.distribution.models import AccessToken


def _fingerprint(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()[:16]


def _stored(channel, credentials: dict) -> dict:
    row = AccessToken.objects.filter(channel=channel).first()
    if row is None:
        return {}
    data = secrets.decrypt(row.token_encrypted)
    return data if data.get("from") == _fingerprint(credentials.get("access_token", "")) else {}


def access_token(channel, credentials: dict) -> str:
    """The newest access token of the account."""
    return _stored(channel, credentials).get("token") or credentials.get("access_token", "")


def refresh_token(channel, credentials: dict) -> str:
    return _stored(channel, credentials).get("refresh_token") or credentials.get("refresh_token", "")


def refreshed(channel, credentials: dict, failed: str, fetch: Callable[[str], tuple[str, float, str]]) -> str:
    """A new access token after ``failed`` was refused as expired.
    ``fetch(refresh_token)`` asks the platform and returns ``(access_token,
    expires_in seconds, refresh_token)``. Workers refresh one at a time; one
    that finds the token already refreshed by another uses that one."""
    with transaction.atomic():
        list(AccessToken.objects.select_for_update().filter(channel=channel))  # lock the row where it exists
        current = access_token(channel, credentials)
        if current and current != failed:
            return current
        token, expires_in, new_refresh = fetch(refresh_token(channel, credentials))
        AccessToken.objects.update_or_create(
            channel=channel,
            defaults={
                "token_encrypted": secrets.encrypt(
                    {
                        "token": token,
                        "refresh_token": new_refresh or refresh_token(channel, credentials),
                        "from": _fingerprint(credentials.get("access_token", "")),
                    }
                ),
                "expires_at": timezone.now() + dt.timedelta(seconds=float(expires_in or 0)),
            },
        )
        return token


# -- secrets in logged addresses

SECRET_PARAMETERS = re.compile(
    r"((?:access_token|refresh_token|upload_token|client_secret|app_secret|secret)=)[^&\s\"']+", re.IGNORECASE
)


class RedactSecrets(logging.Filter):
    """httpx logs every request's address at INFO; the platforms that take
    the token in the query string (Kuaishou, Douyin, WeChat) would have it
    logged. This filter masks such parameters in the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SECRET_PARAMETERS.search(message):
            record.msg, record.args = SECRET_PARAMETERS.sub(r"\1***", message), ()
        return True


def keep_tokens_out_of_logs() -> None:
    """Install :class:`RedactSecrets` on the httpx loggers (once)."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
