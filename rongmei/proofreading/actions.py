"""State changes of the proofreading app. Each runs in one transaction,
marks the lexicon as changed for every process, and writes the audit log.

Single entries are added, edited and deleted through Wagtail's generic admin
views, which the audit log mirrors (``rongmei.core.signals``) and which bump
the lexicon's revision through ``rongmei.proofreading.signals``.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from rongmei.core import audit
from rongmei.proofreading.models import LexiconEntry, LexiconRevision
from rongmei.proofreading.transfer import ADD, UPDATE, Preview, Row, classify

_BATCH = 1000


def import_entries(rows: list[Row], *, file_name: str) -> Preview:
    """Add and update the lexicon from the rows of an import file.

    The rows are classified again against the lexicon as it is at this
    moment, so a preview made earlier never writes stale decisions; rows
    rejected now are skipped. All or nothing: any error leaves the lexicon
    as it was. Returns the classification that was applied.
    """
    with transaction.atomic():
        preview = classify(rows)
        changes = preview.with_status(ADD, UPDATE)
        existing = {
            (entry.kind, entry.term): entry
            for entry in LexiconEntry.objects.filter(kind__in={row.kind for row in changes})
        }
        now = timezone.now()
        added, updated, fields = [], [], set()
        for row in changes:
            values = dict(row.values)
            if row.status == ADD:
                added.append(LexiconEntry(kind=row.kind, term=row.term, created_at=now, **values))
            else:
                entry = existing[(row.kind, row.term)]
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.updated_at = now
                fields.update(values)
                updated.append(entry)
        LexiconEntry.objects.bulk_create(added, batch_size=_BATCH)
        if updated:
            LexiconEntry.objects.bulk_update(updated, [*sorted(fields), "updated_at"], batch_size=_BATCH)
        if changes:
            LexiconRevision.bump()
        audit.record(
            "proofreading.lexicon.import",
            content_type=ContentType.objects.get_for_model(LexiconEntry),
            object_repr=file_name,
            data={"file": file_name, **preview.counts},
        )
    return preview
