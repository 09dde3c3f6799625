"""The units that may see each dossier, one row a (unit, dossier), filled for the dossiers there
are: the staff lists read a unit's dossiers from these rows (docs/staff-lists.md).

The fill is the row-level rule as it stood (dossiers.selectors.dossier_visible before this
migration): the receiving, competent and current units and every unit of a step of the plan.
From here on the hand-offs write the rows (dossiers.services.access.access_grant), and
`manage.py dossiers_rebuild_access` compares the table with this rule and repairs it.
"""

import django.db.models.deletion
from django.db import migrations, models


# The rule in SQL as of this migration (frozen here: the service may change later).
FILL = """
    INSERT INTO dossiers_dossieraccess (unit_id, dossier_id)
    SELECT receiving_unit_id, id FROM dossiers_dossier
    UNION SELECT competent_unit_id, id FROM dossiers_dossier
    UNION SELECT current_unit_id, id FROM dossiers_dossier
    UNION SELECT unit_id, dossier_id FROM dossiers_dossierstep
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_data_access_list_search'),
        ('dossiers', '0014_step_unit_dossier_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='DossierAccess',
            fields=[
                ('pk', models.CompositePrimaryKey('unit', 'dossier', blank=True, editable=False, primary_key=True, serialize=False)),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unit_access', to='dossiers.dossier')),
                ('unit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.unit')),
            ],
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True),
    ]
