"""What every API router shares: the error body and the permission check
(enforced on the server, whatever the client shows)."""

from django.core.exceptions import PermissionDenied
from ninja import Schema


class Error(Schema):
    detail: str | dict | list


def require(request, perm: str) -> None:
    """403 unless the token's user has ``perm`` (Django's "app.codename")."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
