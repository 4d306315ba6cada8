"""Fixtures shared by every app's tests."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from huey.contrib.djhuey import HUEY

from rongmei.core import roles
from rongmei.core.models import User

# Real hashing costs ~0.5 s a user by design; tests make many users.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_inline():
    """Background tasks run at once, in memory, unless a test asks for the
    real queue (see ``real_queue``). Wagtail's tasks too, when asked for, not
    after the commit that a test's transaction never makes."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    HUEY.immediate, backend.enqueue_on_commit = True, False
    yield
    HUEY.immediate, backend.enqueue_on_commit = False, True


@pytest.fixture
def real_queue():
    """The app's queue on its configured storage (SQLite file or Redis)."""
    HUEY.immediate = False
    yield HUEY
    HUEY.immediate = True


@contextmanager
def kept_for_module(django_db_blocker):
    """A transaction around a module's tests, for data loaded once for all
    of them: each test's own transaction is a savepoint inside it, so its
    changes roll back to the data, and the data roll back after the module."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """The whole demo data, ``load_demo()``'s result, loaded once for the
    tests of a module that ask for it (see :func:`kept_for_module`); they
    are in ``core/tests/test_demo.py``. Loading it takes half a minute on
    PostgreSQL."""
    from rongmei.demo import load_demo

    with kept_for_module(django_db_blocker):
        yield load_demo()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: pages the website rendered in
    an earlier test (whose data was rolled back) are not this test's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _page_views_written_at_once(settings):
    """A page view is written at once (rongmei.analytics.visits), so a test
    reads it right after the request; tests of the adding up set their own."""
    settings.PAGE_VIEW_FLUSH_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Fast password hashing (FAST_HASHERS)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def make_user(db):
    def make(username, *role_names, superuser=False, **fields):
        user = User.objects.create_user(
            username=username,
            password="correct horse battery staple",
            is_superuser=superuser,
            is_staff=superuser,
            **fields,
        )
        user.groups.set(Group.objects.filter(name__in=role_names))
        return user

    return make


ROLE_USERNAMES = {
    roles.REPORTER: "reporter",
    roles.EDITOR: "editor",
    roles.REVIEW_1: "review1",
    roles.REVIEW_2: "review2",
    roles.REVIEW_3: "review3",
    roles.DIRECTOR: "director",
    roles.OPERATOR: "operator",
    roles.FINANCE: "finance",
    roles.ADMINISTRATOR: "sysadmin",
}


@pytest.fixture
def role_users(make_user):
    """One user for every role, keyed by the role's name."""
    return {role: make_user(username, role) for role, username in ROLE_USERNAMES.items()}


@pytest.fixture
def superuser(make_user):
    return make_user("root", superuser=True)
