"""The browser tests' database (real transactions, emptied after each
test) keeps the audit log append-only while a test runs: the triggers are
lifted only around Django's own restore and flush."""

import pytest
from django.db import DatabaseError, connection, transaction

from rongmei.core.audit import record
from rongmei.core.models import AuditEntry
from rongmei.website.models import WebsiteHomePage


def test_the_audit_log_refuses_changes_while_a_browser_test_runs(transactional_db):
    assert WebsiteHomePage.objects.filter(language="zh-hans").exists()  # the migrations' rows are back
    entry = record("website.browser_test", data={"probe": True})
    for statement in (
        "UPDATE core_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "website.browser_test"
