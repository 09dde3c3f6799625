"""What the thesaurus migrations share: add the shipped lines (catalog/data/thesaurus.json) whose
note starts with one of `notes`, only where the installation has no line with the same phrase —
a line an administrator deleted earlier is not brought back. Not a migration itself (its name
starts with "_"); it works on the historical model the migration passes in."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def lines_adder(notes: tuple[str, ...]):
    """A RunPython function adding the shipped lines of these notes."""

    def add(apps, schema_editor) -> None:
        SearchSynonym = apps.get_model("catalog", "SearchSynonym")
        with open(DATA / "thesaurus.json", encoding="utf-8") as f:
            entries = [e for e in json.load(f)["entries"] if e["note"].startswith(notes)]
        known = set(SearchSynonym.objects.values_list("phrase", flat=True))
        SearchSynonym.objects.bulk_create([
            SearchSynonym(phrase=e["phrase"], official="\n".join(e["official"]),
                          kind=e["kind"], both_ways=e["both_ways"], note=e["note"])
            for e in entries if e["phrase"] not in known])

    return add
