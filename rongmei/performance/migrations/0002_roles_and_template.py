"""The roles' performance-management permissions (rongmei.core.roles) and
the national reference framework as the default indicator template."""

from django.db import migrations

from rongmei.core.roles import sync_roles
from rongmei.performance.frameworks import ship_default_template


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial"), ("core", "0002_append_only_audit_and_roles")]

    operations = [
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
        migrations.RunPython(ship_default_template, migrations.RunPython.noop),
    ]
