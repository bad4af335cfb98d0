"""A city of N communities with Y years of history, for the page benchmark (`make bench`)."""

import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jiedao.management import scale
from jiedao.management.statistics import refresh_statistics
from jiedao.reporting.cache import bump_figures_version


class Command(BaseCommand):
    help = (
        "Build a synthetic city for benchmarks: N communities, each with its board, secretary, cadres, "
        "party members, yearly figures and monthly updates, Y years of published notices with revisions "
        "and review steps, and demonstration sites. A benchmark fixture, not demo data: rows are written "
        "with bulk_create in batches (no audit entries), so 3,000 communities load in minutes. Refuses a "
        "database that already has communities unless --reset, which empties it first (flush)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, required=True, help="number of communities (N)")
        parser.add_argument("--history-years", type=int, default=1, help="years of notices and updates, up to 2005")
        parser.add_argument("--reset", action="store_true", help="empty the database first (everything in it)")
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "jiedao2005"))

    def handle(self, *args, communities, history_years, reset, password, **options):
        if communities < 1 or history_years < 1:
            raise CommandError("社区数和历史年数都至少为 1。")
        if not scale.is_empty():
            if not reset:
                raise CommandError("数据库中已有社区数据；如确需清空后重建，请加 --reset。")
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Deferred foreign-key checks still pending in the caller's transaction block TRUNCATE.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()
        counts = scale.build(
            communities=communities, history_years=history_years, password=password, stdout=self.stdout
        )
        bump_figures_version()  # written with bulk_create (no signals): the dashboard's figures are stale
        refresh_statistics()
        summary = "，".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已生成测试城市（{time.monotonic() - started:.0f} 秒）：{summary}"))
