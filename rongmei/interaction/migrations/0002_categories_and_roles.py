"""The starting message categories, and the roles' permissions on messages
(rongmei.core.roles)."""

from django.db import migrations

from rongmei.core.roles import sync_roles

CATEGORIES = [
    ("咨询", "Enquiry"),
    ("建议", "Suggestion"),
    ("投诉", "Complaint"),
    ("求助", "Request for help"),
    ("表扬", "Praise"),
    ("其他", "Other"),
]


def create_categories(apps, schema_editor):
    MessageCategory = apps.get_model("interaction", "MessageCategory")
    for order, (name, name_en) in enumerate(CATEGORIES):
        MessageCategory.objects.get_or_create(name=name, defaults={"name_en": name_en, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("interaction", "0001_initial"), ("core", "0002_append_only_audit_and_roles")]

    operations = [
        migrations.RunPython(create_categories, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
