"""Status from dates (issue 14): a member recorded as 正式 became full at the end of the one-year
预备期 (按期转正); the 党员类别 column goes. Every member and every cadre gets their Person: one per
member (by ID number), and a cadre shares the Person of a member or another post of the same name
in the same community (one human, many posts)."""

from datetime import date

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _year_later(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def forward(apps, schema_editor):
    PartyMember = apps.get_model("communities", "PartyMember")
    Cadre = apps.get_model("communities", "Cadre")
    Person = apps.get_model("communities", "Person")
    today = date.today()
    for member in PartyMember.objects.filter(person__isnull=True).iterator():
        if member.category == "full" and member.full_on is None:
            member.full_on = min(_year_later(member.joined_on), today)
        person = Person.objects.filter(id_number=member.id_number.upper()).first() or Person.objects.create(
            community_id=member.community_id,
            name=member.name,
            gender=member.gender,
            birth_date=member.birth_date,
            id_number=member.id_number.upper(),
            mobile=member.mobile,
        )
        member.person = person
        member.save(update_fields=["full_on", "person"])
    for cadre in Cadre.objects.filter(person__isnull=True).order_by("pk").iterator():
        same = list(Person.objects.filter(community_id=cadre.community_id, name=cadre.name)[:2])
        person = same[0] if len(same) == 1 else None
        if person is None:
            person = Person.objects.create(community_id=cadre.community_id, name=cadre.name, education=cadre.education)
        cadre.person = person
        cadre.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [("communities", "0006_meeting_register"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField(model_name="partymember", name="category"),
        # the demo's transfers predate its accounts
        migrations.AlterField(
            model_name="flowrecord",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="transfer",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
    ]
