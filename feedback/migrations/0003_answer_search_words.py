"""The stored search text of answers becomes whole folded words with a space at each end
(feedback/search.py), so the public answers are matched by whole syllables like the catalogue;
the rows written before are rewritten the same way."""

from django.db import migrations


def rewrite(apps, schema_editor):
    from feedback.search import answer_search_text

    Feedback = apps.get_model("feedback", "Feedback")
    for item in Feedback.objects.exclude(search_text="").only(
            "pk", "title", "content", "answer", "procedure_name", "procedure_code").iterator():
        Feedback.objects.filter(pk=item.pk).update(search_text=answer_search_text(item))


class Migration(migrations.Migration):

    dependencies = [("feedback", "0002_pakn")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
