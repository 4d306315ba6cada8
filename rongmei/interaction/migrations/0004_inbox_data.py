"""The inbox's starting lists (rongmei.interaction.seed) and the roles'
inbox permissions (rongmei.core.roles)."""

from django.db import migrations

from rongmei.core.roles import sync_roles
from rongmei.interaction import seed


def create_lists(apps, schema_editor):
    InboxCategory = apps.get_model("interaction", "InboxCategory")
    GradePolicy = apps.get_model("interaction", "GradePolicy")
    GradeRule = apps.get_model("interaction", "GradeRule")
    Department = apps.get_model("interaction", "Department")
    ReplyTemplate = apps.get_model("interaction", "ReplyTemplate")
    categories = {}
    for order, (name, name_en, keywords) in enumerate(seed.CATEGORIES):
        categories[name], _ = InboxCategory.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "keywords": keywords, "sort_order": order, "is_fallback": name == "其他"},
        )
    for grade, first, resolution, review in seed.GRADE_POLICIES:
        GradePolicy.objects.get_or_create(
            grade=grade,
            defaults={"first_response_hours": first, "resolution_hours": resolution, "review_required": review},
        )
    if not GradeRule.objects.exists():
        for name, kind, grade, keywords, threshold, window, factor in seed.GRADE_RULES:
            GradeRule.objects.create(name=name, kind=kind, grade=grade, keywords=keywords, threshold=threshold or 1,
                                     window_hours=window or 1, factor=factor or 1.0)  # fmt: skip
    for order, (name, contact, hours) in enumerate(seed.DEPARTMENTS):
        Department.objects.get_or_create(
            name=name, defaults={"contact": contact, "answer_hours": hours, "sort_order": order}
        )
    for name, category, text in seed.REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            name=name, defaults={"text": text, "category": categories.get(category) if category else None}
        )


class Migration(migrations.Migration):
    dependencies = [("interaction", "0003_inbox"), ("core", "0002_append_only_audit_and_roles")]

    operations = [
        migrations.RunPython(create_lists, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
