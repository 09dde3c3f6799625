"""The public search no longer reads the text of an item whose sender did not agree to publish
it (feedback/search.py, audit7): the rows written before are rewritten without it."""

from django.db import migrations


def rewrite(apps, schema_editor):
    from feedback.search import answer_search_text

    Feedback = apps.get_model("feedback", "Feedback")
    for item in Feedback.objects.exclude(search_text="").filter(publish_consent=False).only(
            "pk", "title", "content", "answer", "procedure_name", "procedure_code",
            "publish_consent").iterator():
        Feedback.objects.filter(pk=item.pk).update(search_text=answer_search_text(item))


class Migration(migrations.Migration):

    dependencies = [("feedback", "0006_send_limits")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
