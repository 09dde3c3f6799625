"""SIPAS one-time links stored as hashes, printed slips per logged batch (audit8).

An invitation's secret was kept in the clear, and the organiser's print page listed every unused
link: the organiser (the Department of Home Affairs, itself assessed in the PAR Index) could
answer them. The secret is now stored only as its SHA-256; the links already sent keep working
(the server hashes what arrives). Printed slips come in batches logged with who, when and how
many, and an answer remembers whether it came through a printed slip."""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    Invitation = apps.get_model("reform", "SipasInvitation")
    for inv in Invitation.objects.only("pk", "token_hash").iterator(chunk_size=2000):
        digest = hashlib.sha256(inv.token_hash.encode()).hexdigest()
        Invitation.objects.filter(pk=inv.pk).update(token_hash=digest)


class Migration(migrations.Migration):

    dependencies = [
        ("reform", "0005_plan_draft"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="sipasinvitation", old_name="token",
                               new_name="token_hash"),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.CreateModel(
            name="SipasPrintBatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("printed_at", models.DateTimeField(verbose_name="thời điểm in")),
                ("count", models.PositiveIntegerField(verbose_name="số phiếu")),
                ("printed_by", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                    to=settings.AUTH_USER_MODEL, verbose_name="người in")),
                ("survey", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="print_batches",
                    to="reform.sipasround")),
            ],
            options={
                "verbose_name": "lô phiếu khảo sát in mã QR",
                "verbose_name_plural": "lô phiếu khảo sát in mã QR",
                "ordering": ["-printed_at"],
            },
        ),
        migrations.AddField(
            model_name="sipasinvitation",
            name="print_batch",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="invitations", to="reform.sipasprintbatch"),
        ),
        migrations.AddField(
            model_name="sipasresponse",
            name="printed_slip",
            field=models.BooleanField(default=False),
        ),
    ]
