"""`manage.py backup [--dir DIR] [--keep N]`: the database and every stored file in one archive
(see jiedao/backup.py); celery beat runs the same nightly. Keeps the newest N archives."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from jiedao.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and all stored files into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="where to write the archive (default BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="how many archives to keep (default BACKUP_KEEP)")

    def handle(self, *args, dir, keep, **options):
        with override(settings.LANGUAGE_CODE):
            try:
                result = backup(directory=dir, keep=keep)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    _("Backup written: %(path)s (%(size)s bytes, %(files)s files, %(tables)s tables)")
                    % {
                        "path": result.path,
                        "size": f"{result.size:,}",
                        "files": result.files,
                        "tables": len(result.tables),
                    }
                )
            )
