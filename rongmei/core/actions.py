"""State changes of the core app. Each runs in one transaction and writes
the audit log through :func:`rongmei.core.audit.record`."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction

from rongmei.core import audit, roles
from rongmei.core.models import User


def ensure_first_administrator(username: str = "admin") -> tuple[User, str] | None:
    """Create a superuser with a generated password when there is none.

    Returns the user and the password (to show once), or ``None`` when an
    administrator already exists.
    """
    with transaction.atomic():
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            return None
        candidate, n = username, 1
        while User.objects.filter(username=candidate).exists():
            n += 1
            candidate = f"{username}{n}"
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=candidate, email="", password=password)
        group = Group.objects.filter(name=roles.ADMINISTRATOR).first()
        if group is not None:
            user.groups.add(group)
        audit.record("core.user.create_first_administrator", user)
    return user, password
