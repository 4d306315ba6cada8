"""The starting story categories, the 三审 workflow (初审 → 复审 → 终审, one
group-approval level each) for stories, and the roles' story permissions."""

from django.db import migrations

from rongmei.core.roles import sync_roles

CATEGORIES = ["时政", "民生", "文化", "经济", "城市管理", "党建", "其他"]
LEVELS = [(1, "初审"), (2, "复审"), (3, "终审")]
WORKFLOW_NAME = "三审"


def create_review(apps, schema_editor):
    Category = apps.get_model("stories", "Category")
    for order, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"sort_order": order})

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ReviewLevelTask = apps.get_model("stories", "ReviewLevelTask")
    Story = apps.get_model("stories", "Story")

    task_type = ContentType.objects.get_for_model(ReviewLevelTask)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for level, name in LEVELS:
        group, _ = Group.objects.get_or_create(name=name)
        task, _ = ReviewLevelTask.objects.get_or_create(
            name=name, defaults={"level": level, "active": True, "content_type": task_type}
        )
        task.groups.set([group])
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": level - 1})
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Story), defaults={"workflow": workflow}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("core", "0002_append_only_audit_and_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_review, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
