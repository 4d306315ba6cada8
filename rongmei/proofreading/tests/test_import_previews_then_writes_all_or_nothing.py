"""Importing a txt or xlsx file shows what would be added, updated and
rejected (with a reason for each rejected line), and writes only on
confirmation, all of it or nothing."""

import pytest
from django.core import signing

from rongmei.core.models import AuditEntry
from rongmei.proofreading import actions, transfer
from rongmei.proofreading.models import LexiconEntry

from .conftest import IMPORT_URL, preview, xlsx


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def confirm(client, response):
    return client.post(IMPORT_URL, {"payload": response.context["payload"]})


def imported(kind):
    return dict(LexiconEntry.objects.filter(kind=kind, source="测试").values_list("term", "suggestion"))


def test_a_txt_file_is_previewed_then_written_on_confirmation(admin_client):
    content = "# 注释行\n甲乙丙\t丙乙甲\n\n丁戊己\n".encode()
    response = preview(admin_client, "words.txt", content, kind="sensitive", severity="info", source="测试")
    assert response.status_code == 200
    assert response.context["counts"] == {"add": 2, "update": 0, "unchanged": 0, "rejected": 0}
    assert imported("sensitive") == {}  # nothing written before confirmation
    assert not AuditEntry.objects.filter(action="proofreading.lexicon.import").exists()

    assert confirm(admin_client, response).status_code == 302
    assert imported("sensitive") == {"甲乙丙": "丙乙甲", "丁戊己": ""}
    assert set(LexiconEntry.objects.filter(source="测试").values_list("severity", flat=True)) == {"info"}
    entry = AuditEntry.objects.get(action="proofreading.lexicon.import")
    assert entry.actor_label == "root"
    assert entry.data == {"file": "words.txt", "add": 2, "update": 0, "unchanged": 0, "rejected": 0}


def test_a_txt_file_in_gb18030_is_read(admin_client):
    response = preview(admin_client, "ansi.txt", "甲乙丙\n".encode("gb18030"), source="测试")
    assert [row.term for row in response.context["changes_shown"]] == ["甲乙丙"]


def test_rejected_lines_say_why(admin_client):
    content = (f"对的\t正确\n没有建议\n对的\t重复\n太多\t列\t了\n{'长' * 201}\t短\n").encode()
    response = preview(admin_client, "rules.txt", content, kind="standard_expression", source="测试")
    assert {row.line: row.reason_code for row in response.context["rejected"]} == {
        2: "suggestion_missing",
        3: "duplicate",
        4: "too_many_columns",
        5: "term_too_long",
    }
    assert all(row.reason for row in response.context["rejected"])
    assert response.context["counts"]["add"] == 1

    confirm(admin_client, response)
    assert imported("standard_expression") == {"对的": "正确"}


def test_an_xlsx_file_adds_and_updates_entries_by_kind_and_term(admin_client):
    LexiconEntry.objects.create(kind="forbidden", term="旧词", suggestion="旧建议", source="测试")
    content = xlsx(
        ["kind", "term", "suggestion", "severity", "note", "source", "active"],
        ["forbidden", "旧词", "新建议", "blocking", "", "测试", 1],
        ["敏感词", "新词", "", "提示", "说明", "测试", 0],
        ["leader_order", "张三，李四,王五", "", "blocking", "", "测试", 1],
        ["nonsense", "某词", "", "", "", "测试", 1],
        ["forbidden", "坏词", "", "fatal", "", "测试", 1],
        ["forbidden", "又一词", "", "", "", "测试", "maybe"],
    )
    response = preview(admin_client, "lexicon.xlsx", content)
    assert response.context["counts"] == {"add": 2, "update": 1, "unchanged": 0, "rejected": 3}
    assert {row.line: row.reason_code for row in response.context["rejected"]} == {
        5: "unknown_kind",
        6: "unknown_severity",
        7: "bad_active",
    }

    confirm(admin_client, response)
    old = LexiconEntry.objects.get(kind="forbidden", term="旧词")
    assert (old.suggestion, old.severity) == ("新建议", "blocking")
    new = LexiconEntry.objects.get(kind="sensitive", term="新词")
    assert (new.severity, new.note, new.is_active) == ("info", "说明", False)
    assert LexiconEntry.objects.filter(kind="leader_order", term="张三、李四、王五").exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("lexicon.docx", b"PK\x03\x04", "unsupported_type"),
        ("empty.txt", b"", "empty"),
        ("comments.txt", b"# only a comment\n\n", "empty"),
        ("broken.xlsx", b"this is not a spreadsheet", "not_xlsx"),
        ("columns.xlsx", xlsx(["word", "meaning"], ["甲", "乙"]), "unknown_columns"),
        ("missing.xlsx", xlsx(["term", "suggestion"], ["甲", "乙"]), "missing_columns"),
        ("header-only.xlsx", xlsx(["kind", "term"]), "no_entries"),
        ("binary.txt", b"\xff\xfe\x00\x00\x81", "not_text"),
        ("huge.txt", b"a\n" * (transfer.MAX_FILE_BYTES // 2 + 1), "too_large"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_written(admin_client, name, content, code):
    before = LexiconEntry.objects.count()
    response = preview(admin_client, name, content)
    assert response.status_code == 200
    assert "counts" not in response.context
    form = response.context["form"]
    assert form.has_error("file", code=code)
    assert form.errors["file"][0]  # a message in words
    assert LexiconEntry.objects.count() == before


def test_an_altered_preview_is_refused(admin_client):
    response = preview(admin_client, "words.txt", "甲乙丙\n".encode(), source="测试")
    payload = response.context["payload"]
    forged = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    assert admin_client.post(IMPORT_URL, {"payload": forged}).status_code == 302
    assert imported("forbidden") == {}


def test_the_import_is_written_all_or_nothing(db):
    LexiconEntry.objects.create(kind="forbidden", term="已有", source="测试")
    rows = [
        transfer.Row(1, "forbidden", "新增", {"source": "测试"}),
        # Only a forged preview could carry this value; the database refuses it.
        transfer.Row(2, "forbidden", "已有", {"is_active": "not a boolean"}),
    ]
    with pytest.raises(Exception, match="not a boolean"):
        actions.import_entries(rows, file_name="forged.xlsx")
    assert imported("forbidden") == {"已有": ""}
    assert not AuditEntry.objects.filter(action="proofreading.lexicon.import").exists()


def test_a_preview_is_signed_for_the_import_page_only():
    with pytest.raises(signing.BadSignature):
        signing.loads(signing.dumps({"file": "x", "rows": []}), salt="rongmei.proofreading.import")
