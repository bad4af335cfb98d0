"""The 党员 and 居务监督委员会 role groups (DESIGN §2)."""

from django.db import migrations

ROLE_GROUPS = ["党员", "居务监督委员会"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("jiedao", "0005_audit_append_only")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
