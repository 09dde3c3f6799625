"""Adds the thesaurus lines shipped with this change (catalog/data/thesaurus.json, docs/search.md
«Thesaurus»): for each field of the national catalogue, the everyday names people give its
papers and acts ("thi bằng lái", "khoan giếng", "nhà xã hội", "bình xịt hơi cay", "đô la"…),
kept only where catalogue names use the official wording. Only these lines, and only where the
installation has no line with the same phrase: a line an administrator deleted earlier is not
brought back."""

from django.db import migrations

from catalog.migrations._thesaurus_lines import lines_adder

NOTES = ("Cách gọi thường ngày theo lĩnh vực thủ tục (vòng bốn)",)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_search_thesaurus_everyday_verbs")]
    operations = [migrations.RunPython(lines_adder(NOTES), migrations.RunPython.noop)]
