"""Adds the thesaurus lines shipped with this change (catalog/data/thesaurus.json, docs/search.md
«Thesaurus»): abbreviations of state administrative writing (ministries and departments,
business and investment papers, fields) and everyday names of fees, papers and businesses. Only
these lines, and only where the installation has no line with the same phrase: a line an
administrator deleted earlier is not brought back."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
NOTES = ("Viết tắt trong văn bản hành chính nhà nước",
         "Cách gọi thường ngày của một loại giấy tờ, khoản thu hoặc cơ sở kinh doanh")


def load(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    with open(DATA / "thesaurus.json", encoding="utf-8") as f:
        entries = [e for e in json.load(f)["entries"] if e["note"].startswith(NOTES)]
    known = set(SearchSynonym.objects.values_list("phrase", flat=True))
    SearchSynonym.objects.bulk_create([
        SearchSynonym(phrase=e["phrase"], official="\n".join(e["official"]), kind=e["kind"],
                      both_ways=e["both_ways"], note=e["note"])
        for e in entries if e["phrase"] not in known])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_unmatched_search_log")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
