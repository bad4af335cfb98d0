"""The 2008 rate table (中组部《关于中国共产党党费收缴、使用和管理的规定》): staff edit it afterwards."""

from decimal import Decimal

from django.db import migrations

RATES_2008 = [
    # category, above, up to (inclusive), rate %, fixed yuan a month
    ("employed", "0", "3000", "0.5", None),
    ("employed", "3000", "5000", "1.0", None),
    ("employed", "5000", "10000", "1.5", None),
    ("employed", "10000", None, "2.0", None),
    ("retired", "0", "5000", "0.5", None),
    ("retired", "5000", None, "1.0", None),
    ("reduced", "0", None, None, "0.20"),
]


def seed(apps, schema_editor):
    Band = apps.get_model("communities", "DuesRateBand")
    for category, above, up_to, rate, fixed in RATES_2008:
        Band.objects.get_or_create(
            category=category,
            income_above=Decimal(above),
            defaults={
                "income_up_to": Decimal(up_to) if up_to else None,
                "rate_percent": Decimal(rate) if rate else None,
                "fixed_amount": Decimal(fixed) if fixed else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("communities", "0003_dues_ledger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
