"""Fixtures shared by every app's tests."""

import pytest
from django.contrib.auth.models import Group
from huey.contrib.djhuey import HUEY

from rongmei.core import roles
from rongmei.core.models import User


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_inline():
    """Background tasks run at once, in memory, unless a test asks for the
    real queue (see ``real_queue``)."""
    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture
def real_queue():
    """The app's queue on its configured storage (SQLite file or Redis)."""
    HUEY.immediate = False
    yield HUEY
    HUEY.immediate = True


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
    """Real hashing costs ~0.5 s a user by design; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
