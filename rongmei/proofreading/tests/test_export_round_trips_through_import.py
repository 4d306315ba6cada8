"""An exported lexicon imports back unchanged."""

import io

import openpyxl
import pytest

from rongmei.proofreading.models import LexiconEntry

from .conftest import EXPORT_URL, preview


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    LexiconEntry.objects.all().delete()
    LexiconEntry.objects.create(kind="forbidden", term="禁词", suggestion="", severity="blocking", note="说明")
    LexiconEntry.objects.create(kind="standard_expression", term="错写", suggestion="正写", source="规范")
    LexiconEntry.objects.create(kind="leader_order", term="张三、李四", severity="blocking")
    LexiconEntry.objects.create(kind="sensitive", term="=公式", is_active=False)
    client.force_login(superuser)
    return client


def test_xlsx_export_holds_every_entry_and_imports_back_unchanged(admin_client):
    response = admin_client.get(EXPORT_URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == ("kind", "term", "suggestion", "severity", "note", "source", "active")
    assert ("sensitive", "=公式", None, "warning", None, None, 0) in rows  # text, never a formula
    assert len(rows) == 5

    result = preview(admin_client, "export.xlsx", content)
    assert result.context["counts"] == {"add": 0, "update": 0, "unchanged": 4, "rejected": 0}


def test_txt_export_holds_the_active_entries_of_one_kind(admin_client):
    response = admin_client.get(EXPORT_URL, {"format": "txt", "kind": "standard_expression"})
    assert response.status_code == 200
    assert response.content.decode() == "错写\t正写\n"

    LexiconEntry.objects.filter(kind="standard_expression").delete()
    result = preview(admin_client, "export.txt", response.content, kind="standard_expression", source="规范")
    admin_client.post("/admin/proofreading/lexicon/import/", {"payload": result.context["payload"]})
    entry = LexiconEntry.objects.get(kind="standard_expression")
    assert (entry.term, entry.suggestion, entry.source) == ("错写", "正写", "规范")


def test_txt_export_needs_a_kind(admin_client):
    response = admin_client.get(EXPORT_URL, {"format": "txt"})
    assert response.status_code == 200
    assert response.context["form"].has_error("kind")
