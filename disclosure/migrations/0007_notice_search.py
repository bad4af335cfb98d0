"""The public search by words: Notice.search_text (jieba's words of title and text), the staff's
synonym list, and on PostgreSQL a GIN index on the text's tsvector (SQLite searches the words
with LIKE)."""

from django.db import migrations, models

INDEX = "notice_search_gin"
# The expression exactly as disclosure/search.py's SearchVector("search_text", config="simple") writes it.
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON disclosure_notice "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, ''::text)))"
)


def gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def index_published(apps, schema_editor):
    """The words of every notice already published (the services keep them from now on)."""
    from disclosure.search import words_of  # noqa: PLC0415 — a migration imports at run time

    Notice = apps.get_model("disclosure", "Notice")
    batch = []
    for notice in Notice.objects.exclude(published_at=None).only("title", "body").iterator(chunk_size=500):
        notice.search_text = " ".join(words_of(f"{notice.title}\n{notice.body}"))
        batch.append(notice)
        if len(batch) == 500:
            Notice.objects.bulk_update(batch, ["search_text"])
            batch = []
    Notice.objects.bulk_update(batch, ["search_text"])


# A first synonym list (staff edit it in the admin): the short forms residents type for the names
# notices use.
SYNONYMS = {
    "低保": "最低生活保障，最低生活保障金",
    "五保": "五保供养",
    "医保": "医疗保险",
    "社保": "社会保险",
    "廉租房": "廉租住房",
}


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("disclosure", "SearchSynonym")
    for term, synonyms in SYNONYMS.items():
        SearchSynonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms})


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0006_notice_staff_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="search words"),
        ),
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("term", models.CharField(max_length=50, unique=True, verbose_name="term")),
                (
                    "synonyms",
                    models.CharField(
                        help_text=(
                            "Other words for the same thing, separated by spaces or commas, e.g. 最低生活保障 低保金."
                        ),
                        max_length=500,
                        verbose_name="synonyms",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={"verbose_name": "search synonym", "verbose_name_plural": "search synonyms", "ordering": ["term"]},
        ),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
        migrations.RunPython(index_published, migrations.RunPython.noop),
        migrations.RunPython(gin_index, drop_gin_index),
    ]
