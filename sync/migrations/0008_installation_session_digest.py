"""The national mode's sessions keep the SHA-256 digest of their token, not the token: the
sessions open now are kept, their tokens hashed in place."""

import hashlib

from django.db import migrations, models


def tokens_hash(apps, schema_editor):
    sessions = apps.get_model("sync", "InstallationSession")
    for session in sessions.objects.all().iterator(chunk_size=1000):
        session.digest = hashlib.sha256(session.digest.encode()).hexdigest()
        session.save(update_fields=["digest"])


class Migration(migrations.Migration):

    dependencies = [
        ("sync", "0007_progress_code_index_in_unique"),
    ]

    operations = [
        migrations.RenameField(model_name="installationsession", old_name="token",
                               new_name="digest"),
        migrations.AlterField(model_name="installationsession", name="digest",
                              field=models.CharField(max_length=64, unique=True)),
        migrations.RunPython(tokens_hash, migrations.RunPython.noop, elidable=True),
    ]
