"""Notification.secrets, and the rows written before it: their secrets named and, once sent,
struck from the text (notifications/redaction.py).

Which part of an older row opens something is known by its kind: a dossier's messages carry the
dossier's lookup secret; a survey invitation its one-time link (…/khao-sat/<token>/); an
evaluation's confirmation its six-digit code after a colon. The migration keeps its own copy of
the rule, as a migration must not import code that may change."""

import re

from django.db import migrations, models

MASK = "•••"
SURVEY_LINK = re.compile(r"https?://\S+/khao-sat/[^/\s]+/")
CONFIRM_CODE = re.compile(r"(?<=: )\d{6}(?![\w-])")


def _redacted(text, secrets):
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = re.sub(rf"(?<![\w.-]){re.escape(secret)}(?![\w-])", MASK, text)
    return text


def name_and_strike(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = (Notification.objects.filter(kind__in=[
        "accepted", "supplement_requested", "apology", "result_ready", "payment_requested",
        "survey", "evaluation_confirm"]).select_related("dossier").iterator(chunk_size=500))
    changed = []
    for n in rows:
        if n.kind == "survey":
            secrets = SURVEY_LINK.findall(n.body)
        elif n.kind == "evaluation_confirm":
            secrets = CONFIRM_CODE.findall(n.body)
        else:
            secrets = [n.dossier.lookup_secret] if n.dossier and n.dossier.lookup_secret else []
        if not secrets:
            continue
        if n.status == "sent":
            n.body, n.subject, n.secrets = (_redacted(n.body, secrets),
                                            _redacted(n.subject, secrets), [])
        else:
            n.secrets = sorted(set(secrets))
        changed.append(n)
        if len(changed) == 500:
            # A province's outbox holds millions of rows: one statement per 500, not per row.
            Notification.objects.bulk_update(changed, ["body", "subject", "secrets"])
            changed = []
    Notification.objects.bulk_update(changed, ["body", "subject", "secrets"])


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0005_evaluation_confirm_kind'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='secrets',
            field=models.JSONField(blank=True, default=list, verbose_name='phần bí mật'),
        ),
        migrations.RunPython(name_and_strike, migrations.RunPython.noop),
    ]
