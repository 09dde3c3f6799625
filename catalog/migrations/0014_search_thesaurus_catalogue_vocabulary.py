"""Adds the thesaurus lines shipped with this change (catalog/data/thesaurus.json, docs/search.md
«Thesaurus»): the catalogue's own vocabulary — the most frequent words and compounds of the
procedure names, by the number of names that use them (catalog/evaluation/vocabulary.py) — each
with the everyday wording people use where it differs ("qua mạng" / "online" for "trực tuyến",
"kéo dài" for "gia hạn", "sang nhượng" for "chuyển nhượng", "mướn" for "thuê", "dì ghẻ" for "mẹ
kế", "VN", "SX", "XK"…), kept only where catalogue names use the official wording. Only these
lines, and only where the installation has no line with the same phrase: a line an
administrator deleted earlier is not brought back."""

from django.db import migrations

from catalog.migrations._thesaurus_lines import lines_adder

NOTES = ("Từ vựng của danh mục theo cách nói thường ngày (vòng sáu)",)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_search_thesaurus_everyday_names_by_field")]
    operations = [migrations.RunPython(lines_adder(NOTES), migrations.RunPython.noop)]
