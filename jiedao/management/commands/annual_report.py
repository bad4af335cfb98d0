"""`manage.py annual_report --year 2005 [--output FILE]`: build the annual report PDF here and
now, with a progress bar in the terminal. The same PDF as the portal's 生成 button builds,
without a Celery worker and without an AnnualReport row."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from jiedao.reporting.annual import annual_report_pdf
from jiedao.reporting.figures import years_on_record
from jiedao.services import write_atomically

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Build the annual report PDF of a year synchronously."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", type=Path, help="where to write the PDF (default annual-report-YEAR.pdf)")

    def handle(self, *args, year, output, **options):
        with override(settings.LANGUAGE_CODE):
            if year not in years_on_record():
                raise CommandError(_("There are no figures for %(year)s in the database.") % {"year": year})
            output = output or Path(f"annual-report-{year}.pdf")
            pdf = annual_report_pdf(year=year, progress=self.progress)
            write_atomically(output.resolve(), [pdf])
            self.progress(100, _("Done"))
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"{output} ({len(pdf):,} bytes)"))

    def progress(self, percent: int, stage: str) -> None:
        done = BAR_WIDTH * percent // 100
        bar = "█" * done + "░" * (BAR_WIDTH - done)
        end = "" if self.stdout.isatty() else "\n"
        self.stdout.write(
            f"\r[{bar}] {percent:3d}% {stage}\x1b[K" if end == "" else f"[{bar}] {percent:3d}% {stage}", ending=end
        )
        self.stdout.flush()
