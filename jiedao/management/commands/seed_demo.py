"""Load the demo sub-district. Idempotent: running it twice leaves the same data.

Each app keeps its demo data in `<app>/demo.py` with a `load(*, stdout, password)` function;
they run in the order below, since later apps build on earlier ones.
"""

import importlib
import os

from django.core.management.base import BaseCommand
from django.db import transaction

from jiedao.management.statistics import refresh_statistics
from jiedao.reporting.cache import bump_figures_version

DEMO_MODULES = [
    "communities.demo",
    "jiedao.demo",
    "showcase.demo",
    "assessment.demo",
    "disclosure.demo",
    "disclosure.demo_cases",
    "assessment.demo_targets",  # last: scores the 2005 target sheet from everything above
]


def demo_modules():
    for name in DEMO_MODULES:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside an existing demo module
                raise


class Command(BaseCommand):
    help = "Load the demo sub-district (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "jiedao2005"))

    def handle(self, *args, password, **options):
        with transaction.atomic():
            for module in demo_modules():
                self.stdout.write(f"{module.__name__} …")
                module.load(stdout=self.stdout, password=password)
            bump_figures_version()  # some loaders write in bulk (no signals): retire the dashboard's figures
        refresh_statistics()
        from jiedao.demo import demo_accounts

        self.stdout.write(self.style.SUCCESS(f"演示数据已载入。演示账号（密码均为 {password}）："))
        for username, who in demo_accounts():
            self.stdout.write(f"  {username:<14} {who}")
