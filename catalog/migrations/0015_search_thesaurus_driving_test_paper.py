"""The thesaurus lines "thi bằng lái" and "thi lái xe" (catalog/data/thesaurus.json, fourth
round) said only the exam ("sát hạch lái xe"): a longer line read in place of the shorter one
it holds ("bằng lái" → "giấy phép lái xe") lost the paper the citizen names, and the exam's
wording is that of the test centres' licences, while whoever sits the exam files "Cấp giấy
phép lái xe" (its steps: the candidate's file reaches the traffic police before the exam;
Thông tư 12/2025/TT-BCA on "sát hạch, cấp giấy phép lái xe"). The fifteenth round read every line holding another (docs/search.md); these two were
the only ones whose wordings dropped the inner line's paper. They now also say "cấp giấy phép
lái xe". Only where the installation's line still has the shipped wording: a line an
administrator edited or deleted is left as it is. (A fresh installation already has the new
wording: migration 0013 adds the lines as the shipped file writes them now.)"""

from django.db import migrations

LINES = ("thi bằng lái", "thi lái xe")
BEFORE = "sát hạch lái xe"
AFTER = "sát hạch lái xe\ncấp giấy phép lái xe"


def _set(old: str, new: str):
    def run(apps, schema_editor) -> None:
        SearchSynonym = apps.get_model("catalog", "SearchSynonym")
        SearchSynonym.objects.filter(phrase__in=LINES, official=old).update(official=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_search_thesaurus_catalogue_vocabulary")]
    operations = [migrations.RunPython(_set(BEFORE, AFTER), _set(AFTER, BEFORE))]
