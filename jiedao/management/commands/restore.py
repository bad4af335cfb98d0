"""`manage.py restore ARCHIVE [--force]`: restore a backup archive into an empty database and media
store (see jiedao/backup.py). A database with tables or a store with files is refused unless --force."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from jiedao.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and media store."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="drop every table of a non-empty database and replace stored files of the same names",
        )

    def handle(self, *args, archive, force, **options):
        with override(settings.LANGUAGE_CODE):
            try:
                manifest = restore(archive, force=force)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    _("Restored %(archive)s (made %(made)s): %(tables)s tables, %(files)s files, row counts checked.")
                    % {
                        "archive": archive,
                        "made": manifest["created_at"],
                        "tables": len(manifest["database"]["tables"]),
                        "files": len(manifest["files"]),
                    }
                )
            )
