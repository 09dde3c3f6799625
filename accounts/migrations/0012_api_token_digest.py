"""API tokens kept as the digest of their key (audit10, accounts/tokens.py): each token DRF kept
in the clear becomes the digest of its key, with its account and issue time, so the clients
holding it keep working; DRF's rows, which hold the keys, are then deleted. Not reversible: the
keys are not kept anywhere any more, so going back leaves the accounts without tokens (they ask
the token endpoint for new ones)."""

import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def digest_tokens(apps, schema_editor) -> None:
    clear = apps.get_model("authtoken", "Token")
    kept = apps.get_model("accounts", "ApiToken")
    rows = list(clear.objects.values_list("key", "user_id", "created"))
    for start in range(0, len(rows), 1000):
        kept.objects.bulk_create(
            [kept(digest=hashlib.sha256(key.encode()).hexdigest(), user_id=user_id,
                  created=created) for key, user_id, created in rows[start:start + 1000]])
    clear.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0011_admin_log_identity_proofs_unnamed'),
        ('authtoken', '0003_tokenproxy'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('digest', models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name='mã băm SHA-256')),
                ('created', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm cấp')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='người dùng')),
            ],
            options={
                'verbose_name': 'mã truy cập API',
                'verbose_name_plural': 'mã truy cập API',
            },
        ),
        migrations.RunPython(digest_tokens, migrations.RunPython.noop),
    ]
