"""Ship the default catalogue and one board for the sub-district and each existing community."""

from django.db import migrations


def forwards(apps, schema_editor):
    from disclosure.catalogue import install

    install(apps.get_model("disclosure", "CatalogItem"))
    Board = apps.get_model("disclosure", "Board")
    Board.objects.get_or_create(slug="jiedao", defaults={"name": "街道公开栏", "order": 0})
    for community in apps.get_model("communities", "Community").objects.all():
        Board.objects.get_or_create(
            community=community, defaults={"slug": community.code.lower(), "name": community.name, "order": 1}
        )


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial"), ("communities", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
