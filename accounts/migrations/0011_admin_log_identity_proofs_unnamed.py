"""The admin's log entries about identity proofs named them by the proven ID number (the
proof's old name): the history pages and "recent actions" printed it with no read logged. The
proof's name no longer holds the number (accounts/models.py); the entries written before are
renamed the same way (Decree 13/2023/NĐ-CP: personal data shown only where its read is logged).
"""

from django.db import migrations


def log_entries_renamed(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    proof_type = ContentType.objects.filter(app_label="accounts", model="identityproof").first()
    if proof_type is None:
        return
    for entry in LogEntry.objects.filter(content_type=proof_type).only("pk", "object_id"):
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=f"Xác thực danh tính #{entry.object_id}"[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_data_access_admin_feedback"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(log_entries_renamed, migrations.RunPython.noop)]
