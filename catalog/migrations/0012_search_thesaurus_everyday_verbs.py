"""Adds the thesaurus lines shipped with this change (catalog/data/thesaurus.json, docs/search.md
«Thesaurus»): everyday verbs for the actions catalogue names start with ("duyệt", "rút giấy
phép", "làm thẻ", "dừng kinh doanh", "nhận nuôi"…), and a few regional or everyday words whose
official wording catalogue names use ("heo", "bỏ quốc tịch", "trạm xăng"…). Only these lines,
and only where the installation has no line with the same phrase: a line an administrator
deleted earlier is not brought back."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
NOTES = ("Động từ thường ngày cho hành động đứng đầu tên thủ tục",
         "Từ địa phương và cách gọi thường ngày của việc quốc tịch và cơ sở kinh doanh")


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
    dependencies = [("catalog", "0011_procedure_list_order")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
