"""The roles' analytics permissions (rongmei.core.roles)."""

from django.db import migrations

from rongmei.core.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial"), ("core", "0002_append_only_audit_and_roles")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
