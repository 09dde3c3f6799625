"""The applicant's name folded (lowercase, no diacritics) for the staff lists' search; existing
dossiers are filled in batches."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from catalog.text import fold

    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for pk, name in Dossier.objects.values_list("pk", "applicant_name").iterator(chunk_size=2000):
        batch.append(Dossier(pk=pk, applicant_name_folded=fold(name or "")[:255]))
        if len(batch) >= 2000:
            Dossier.objects.bulk_update(batch, ["applicant_name_folded"])
            batch = []
    if batch:
        Dossier.objects.bulk_update(batch, ["applicant_name_folded"])


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0010_file_active_content"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_name_folded",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
