"""The dossiers a unit has held a step of, read from one index (the staff lists' row-level rule;
docs/staff-lists.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0013_reference_version_and_indexes_reviewed'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='dossierstep',
            index=models.Index(fields=['unit', 'dossier'], name='dossier_step_unit_dossier'),
        ),
    ]
