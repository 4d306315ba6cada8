"""The lexicon is compiled once per process and compiled again after any
change, including one made by another process."""

import uuid

from rongmei.proofreading import engine
from rongmei.proofreading.models import LexiconEntry, LexiconRevision


def rules(text):
    return [hit.rule for hit in engine.check(text)]


def test_the_compiled_lexicon_is_reused_while_nothing_changes(db):
    first = engine.current_lexicon()
    assert engine.current_lexicon() is first


def test_an_added_entry_is_found_at_the_next_check(db):
    assert "forbidden" not in rules("这是测试禁词。")
    LexiconEntry.objects.create(kind="forbidden", term="测试禁词", severity="blocking")
    assert rules("这是测试禁词。") == ["forbidden"]


def test_a_deactivated_or_deleted_entry_is_no_longer_found(db):
    entry = LexiconEntry.objects.create(kind="forbidden", term="测试禁词", severity="blocking")
    assert rules("测试禁词") == ["forbidden"]
    entry.is_active = False
    entry.save()
    assert rules("测试禁词") == []
    entry.is_active = True
    entry.save()
    assert rules("测试禁词") == ["forbidden"]
    entry.delete()
    assert rules("测试禁词") == []


def test_a_change_by_another_process_is_noticed_through_the_revision(db):
    engine.current_lexicon()
    # Another process writes without this process's signals: the row and the
    # revision token change in the database only.
    LexiconEntry.objects.bulk_create([LexiconEntry(kind="sensitive", term="另一进程")])
    assert rules("另一进程") == []  # this process still uses its compiled lexicon
    LexiconRevision.objects.filter(pk=1).update(token=uuid.uuid4())
    assert rules("另一进程") == ["sensitive"]


def test_the_starter_lexicon_is_loaded_by_the_migrations(db):
    assert LexiconEntry.objects.filter(source__startswith="新华社").count() > 30
    assert LexiconRevision.current() is not None
    assert rules("台湾政府") == ["forbidden"]
