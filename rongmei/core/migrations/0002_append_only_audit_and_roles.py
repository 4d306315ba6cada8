"""Make the audit log append-only in the database itself, and create the
roles of a media center (see rongmei/core/roles.py and docs/permissions.md)."""

from django.db import migrations

from rongmei.core import audit_triggers
from rongmei.core.roles import sync_roles


def add_triggers(apps, schema_editor):
    for statement in audit_triggers.create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in audit_triggers.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("distribution", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [
        migrations.RunPython(add_triggers, drop_triggers),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
