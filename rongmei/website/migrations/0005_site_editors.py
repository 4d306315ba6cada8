"""管理员 edits the government website's columns (栏目) and home pages: the
Wagtail page permissions add, change, publish, lock and unlock on both home
pages. Not delete: deleting a column would delete its articles. Articles
themselves change only through a story's review (rongmei.website.wagtail_hooks)."""

from django.db import migrations

from rongmei.core.roles import ADMINISTRATOR, sync_roles

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def grant(apps, schema_editor):
    sync_roles(apps)  # makes sure the group and Wagtail's page permissions exist
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WebsiteHomePage = apps.get_model("website", "WebsiteHomePage")
    group = Group.objects.get(name=ADMINISTRATOR)
    permissions = Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS)
    for home in WebsiteHomePage.objects.all():
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page_id=home.pk, permission=permission)


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WebsiteHomePage = apps.get_model("website", "WebsiteHomePage")
    GroupPagePermission.objects.filter(
        group__name=ADMINISTRATOR,
        page_id__in=WebsiteHomePage.objects.values("pk"),
        permission__codename__in=PAGE_PERMISSIONS,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("website", "0004_columns_default"), ("core", "0002_append_only_audit_and_roles")]

    operations = [migrations.RunPython(grant, revoke)]
