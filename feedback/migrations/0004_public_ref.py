"""Published answers get a public name of their own (feedback/codes.py public_ref_new): the
public pages stop showing the item's code, the first half of the sender's lookup."""

import secrets

from django.db import migrations, models

import feedback.codes

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def fill(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    taken = set()
    for item in Feedback.objects.only("pk").iterator():
        ref = "".join(secrets.choice(ALPHABET) for _ in range(12))
        while ref in taken:
            ref = "".join(secrets.choice(ALPHABET) for _ in range(12))
        taken.add(ref)
        Feedback.objects.filter(pk=item.pk).update(public_ref=ref)


class Migration(migrations.Migration):

    dependencies = [("feedback", "0003_answer_search_words")]

    operations = [
        migrations.AddField(
            model_name="feedback", name="public_ref",
            field=models.CharField(max_length=16, null=True, editable=False,
                                   verbose_name="mã công khai")),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedback", name="public_ref",
            field=models.CharField(default=feedback.codes.public_ref_new, editable=False,
                                   max_length=16, unique=True, verbose_name="mã công khai")),
    ]
