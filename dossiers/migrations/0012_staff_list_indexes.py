"""Indexes of the staff lists' search and of the Form 06 register (docs/staff-lists.md).

On PostgreSQL one more, outside the model's state because SQLite has none like it: a trigram
index on the folded applicant name, so that a name typed anywhere in it
(`LIKE '%nguyen van an%'`) is found without reading every dossier of the unit. (A code's
beginning, `LIKE '000.00.12.H56-261123%'`, already has the `varchar_pattern_ops` index Django
makes beside a unique CharField on PostgreSQL.)
"""

from django.db import migrations, models


def postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        c.execute("CREATE INDEX IF NOT EXISTS dossier_name_trgm ON dossiers_dossier "
                  "USING gin (applicant_name_folded gin_trgm_ops)")


def postgres_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        c.execute("DROP INDEX IF EXISTS dossier_name_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0011_applicant_name_folded'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('applicant_phone', ''), _negated=True), fields=['applicant_phone'], name='dossier_applicant_phone'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('owner_id_number', ''), _negated=True), fields=['owner_id_number'], name='dossier_owner_id'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['receiving_unit', 'received_at'], name='dossier_received_by_unit'),
        ),
        migrations.RunPython(postgres_indexes, postgres_indexes_drop),
    ]
