"""A lookup secret for every dossier, so that dossiers received before it existed can be looked up
too (their receipt reprinted with the secret)."""

from django.db import migrations, models


def fill_secrets(apps, schema_editor):
    from dossiers.lookup import lookup_secret_new

    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for dossier in Dossier.objects.filter(lookup_secret="").only("pk").iterator(chunk_size=1000):
        dossier.lookup_secret = lookup_secret_new()
        batch.append(dossier)
        if len(batch) >= 1000:
            Dossier.objects.bulk_update(batch, ["lookup_secret"])
            batch = []
    Dossier.objects.bulk_update(batch, ["lookup_secret"])


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0003_document_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="lookup_secret",
            field=models.CharField(blank=True, max_length=12, verbose_name="mã bí mật tra cứu"),
        ),
        migrations.RunPython(fill_secrets, migrations.RunPython.noop),
    ]
