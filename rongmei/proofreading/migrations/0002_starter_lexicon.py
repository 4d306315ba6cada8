"""The starter lexicon (see ``rongmei/proofreading/starter.py`` for where
each entry comes from), the lexicon's revision row, and the proofreading
permissions for the roles (``rongmei.core.roles``)."""

import uuid

from django.db import migrations
from django.utils import timezone

from rongmei.core.roles import sync_roles
from rongmei.proofreading.starter import STARTER_ENTRIES


def load_starter_lexicon(apps, schema_editor):
    LexiconEntry = apps.get_model("proofreading", "LexiconEntry")
    LexiconRevision = apps.get_model("proofreading", "LexiconRevision")
    now = timezone.now()
    LexiconEntry.objects.bulk_create(
        [
            LexiconEntry(
                kind=kind, term=term, suggestion=suggestion, severity=severity, note=note, source=source,
                created_at=now, updated_at=now,
            )
            for kind, term, suggestion, severity, note, source in STARTER_ENTRIES
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    LexiconRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4(), "changed_at": now})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_append_only_audit_and_roles"),
        ("proofreading", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_starter_lexicon, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
