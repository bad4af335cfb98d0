"""Fresh planner statistics after a bulk load (`seed_demo`, `seed_scale`)."""

from django.db import connection


def refresh_statistics() -> None:
    """Statistics and the visibility map made fresh, as autovacuum would make them before long: on
    none, PostgreSQL's planner takes thousands of rows for a handful and picks plans no live site
    would run, and an index-only scan still reads every row. VACUUM cannot run in a transaction
    block (a test's): there, statistics only."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
