"""The four role groups (DESIGN §2). Accounts are never created here: demo accounts come
from `manage.py seed_demo`, real ones from the admin."""

from django.db import migrations

ROLE_GROUPS = ["街道工作人员", "社区书记", "督查组", "审计员"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("jiedao", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
