"""Loads the shipped thesaurus and life events (catalog/data/*.json); administrators edit them
in the admin afterwards. Entries already present (same phrase, same event name) are kept."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    LifeEvent = apps.get_model("catalog", "LifeEvent")
    with open(DATA / "thesaurus.json", encoding="utf-8") as f:
        entries = json.load(f)["entries"]
    known = set(SearchSynonym.objects.values_list("phrase", flat=True))
    SearchSynonym.objects.bulk_create([
        SearchSynonym(phrase=e["phrase"], official="\n".join(e["official"]), kind=e["kind"],
                      both_ways=e["both_ways"], note=e["note"])
        for e in entries if e["phrase"] not in known])
    with open(DATA / "life_events.json", encoding="utf-8") as f:
        events = json.load(f)["events"]
    known = set(LifeEvent.objects.values_list("name", flat=True))
    LifeEvent.objects.bulk_create([
        LifeEvent(name=e["name"], description=e["description"], phrases="\n".join(e["phrases"]),
                  procedure_codes="\n".join(e["codes"]), order=i)
        for i, e in enumerate(events) if e["name"] not in known])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_thesaurus_life_events_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
