"""Archive and delete change-log entries older than AUDIT_RETENTION_DAYS (the daily beat job does
the same: jiedao.audit_purge)."""

from django.core.management.base import BaseCommand

from jiedao.audit import purge_expired


class Command(BaseCommand):
    help = "Archive change-log entries older than AUDIT_RETENTION_DAYS to the storage, then delete them."

    def handle(self, *args, **options):
        result = purge_expired()
        if result["count"]:
            self.stdout.write(f"{result['count']} entries archived to {result['name']} (sha256 {result['sha256']})")
        else:
            self.stdout.write("No entries are older than the retention period.")
