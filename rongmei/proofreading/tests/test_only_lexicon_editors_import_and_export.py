"""The lexicon's admin pages, import included, are refused to users without
the lexicon's permissions."""

from rongmei.core import roles
from rongmei.proofreading.models import LexiconEntry

from .conftest import EXPORT_URL, IMPORT_URL, preview


def allowed(response) -> bool:
    """Wagtail refuses with 403, or a redirect to the dashboard or login."""
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403), response.status_code
    return False


def test_a_role_without_the_lexicon_cannot_open_it(client, role_users):
    client.force_login(role_users[roles.FINANCE])
    for url in (IMPORT_URL, EXPORT_URL, f"{EXPORT_URL}?format=xlsx", "/admin/proofreading/lexicon/"):
        assert not allowed(client.get(url)), url


def test_a_reporter_reads_the_lexicon_but_cannot_import_nor_import_by_posting(client, role_users):
    client.force_login(role_users[roles.REPORTER])
    assert allowed(client.get("/admin/proofreading/lexicon/"))
    assert allowed(client.get(EXPORT_URL))
    assert not allowed(client.get(IMPORT_URL))
    before = LexiconEntry.objects.count()
    assert not allowed(preview(client, "words.txt", "偷偷加词\n".encode()))
    assert LexiconEntry.objects.count() == before


def test_a_superuser_opens_the_listing_import_and_export(client, superuser):
    client.force_login(superuser)
    listing = client.get("/admin/proofreading/lexicon/")
    assert allowed(listing)
    assert IMPORT_URL in listing.content.decode()
    for url in (IMPORT_URL, EXPORT_URL, "/admin/proofreading/lexicon/?kind=forbidden&severity=blocking"):
        assert allowed(client.get(url)), url


def test_a_user_who_may_only_view_exports_but_cannot_import(client, make_user):
    from django.contrib.auth.models import Permission

    viewer = make_user("viewer", roles.EDITOR)
    viewer.user_permissions.add(Permission.objects.get(codename="view_lexiconentry"))
    client.force_login(viewer)
    assert allowed(client.get(EXPORT_URL))
    assert not allowed(client.get(IMPORT_URL))


def test_entries_added_in_the_admin_are_checked_and_audited(client, superuser):
    from rongmei.core.models import AuditEntry

    client.force_login(superuser)
    form = {"kind": "leader_order", "term": "张三", "suggestion": "", "severity": "blocking", "note": "",
            "source": "", "is_active": "on"}  # fmt: skip
    response = client.post("/admin/proofreading/lexicon/new/", form)
    assert response.status_code == 200  # one name is not an order: the form is shown again
    assert not LexiconEntry.objects.filter(term="张三").exists()

    response = client.post("/admin/proofreading/lexicon/new/", {**form, "term": "张三，李四"})
    assert response.status_code == 302
    entry = LexiconEntry.objects.get(kind="leader_order", term="张三、李四")
    assert AuditEntry.objects.filter(action="wagtail.create", object_id=str(entry.pk)).exists()
