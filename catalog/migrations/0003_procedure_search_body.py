"""Body text for search, refreshed search text, and trigram indexes on PostgreSQL.

The trigram extension (pg_trgm) lets PostgreSQL answer the search's LIKE '% word%' filters from a
GIN index and tolerate typos (catalog/search.py). Creating an extension needs a privilege that a
hosted database may not grant: then the migration goes on without it and search still works,
only without the index and the typo fallback.
"""

from django.db import migrations, models

from catalog.text import fold_words


def refresh_search_text(apps, schema_editor):
    # The same rule as catalog.services.procedure_set_search_text, on the historical model.
    Procedure = apps.get_model("catalog", "Procedure")
    batch = []
    for p in Procedure.objects.select_related("field").iterator(chunk_size=500):
        p.search_text = fold_words(p.name)
        p.search_body = fold_words(" ".join([
            p.field.name if p.field_id else "", p.competent_authority, p.implementing_agency,
            p.result_text, p.requirements, p.steps_text,
        ]))
        batch.append(p)
        if len(batch) >= 500:
            Procedure.objects.bulk_update(batch, ["search_text", "search_body"])
            batch = []
    Procedure.objects.bulk_update(batch, ["search_text", "search_body"])


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("SAVEPOINT motcua_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 — no privilege: search works without the index
            cursor.execute("ROLLBACK TO SAVEPOINT motcua_trgm")
            return
        cursor.execute("RELEASE SAVEPOINT motcua_trgm")
        cursor.execute("CREATE INDEX IF NOT EXISTS catalog_procedure_name_trgm ON "
                       "catalog_procedure USING gin (search_text gin_trgm_ops)")
        cursor.execute("CREATE INDEX IF NOT EXISTS catalog_procedure_body_trgm ON "
                       "catalog_procedure USING gin (search_body gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS catalog_procedure_name_trgm")
        cursor.execute("DROP INDEX IF EXISTS catalog_procedure_body_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0002_procedure_levels_procedure_source_hash_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="search_body",
            field=models.TextField(blank=True, editable=False, help_text="Lĩnh vực, cơ quan, kết quả, yêu cầu và trình tự, không dấu, chữ thường.", verbose_name="nội dung tìm kiếm"),
        ),
        migrations.RunPython(refresh_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
