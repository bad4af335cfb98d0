"""Two connections racing on PostgreSQL, for the tests of counts kept as data is written."""

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction


def two_connections(test):
    """A test of two connections racing, committing for real: PostgreSQL only (SQLite serialises
    the whole database instead)."""
    only_postgres = pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="two connections racing: PostgreSQL"
    )
    return pytest.mark.django_db(transaction=True)(only_postgres(test))


def second_while_first_uncommitted(first, second) -> list[Exception]:
    """Runs `first` in a transaction and, before it commits, `second` on another connection (which
    waits for it where they meet); returns what `second` raised."""
    failures = []

    def run():
        try:
            second()
        except Exception as error:  # noqa: BLE001 - returned to the test
            failures.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        first()
        other = threading.Thread(target=run)
        other.start()
        other.join(timeout=0.5)  # the second waits for the first's transaction
    other.join()
    return failures
