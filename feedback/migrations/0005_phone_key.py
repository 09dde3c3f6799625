"""Feedback phones in one form (motcua.inputs.phone_key): the items' phones were stored as typed
("0912 345 678", "+84912345678"), and the staff's reads of an item logged under that text, so the
sender's page "Ai đã xem dữ liệu của tôi" could not find them by the number (Decree
13/2023/NĐ-CP art. 9). The items' phones and the subject of those reads are rewritten."""

from django.db import migrations

from motcua.inputs import phone_key

FEEDBACK_READS = ("feedback_view", "feedback_file")


def forward(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    Access = apps.get_model("accounts", "PersonalDataAccess")
    for item in Feedback.objects.exclude(sender_phone="").only("pk", "code", "sender_phone"):
        new = phone_key(item.sender_phone)[:20]
        if new == item.sender_phone:
            continue
        old = item.sender_phone
        Feedback.objects.filter(pk=item.pk).update(sender_phone=new)
        Access.objects.filter(action__in=FEEDBACK_READS, subject=old.strip()[:20],
                              reference__startswith=item.code).update(subject=new)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_public_ref"),
        ("accounts", "0010_data_access_admin_feedback"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
