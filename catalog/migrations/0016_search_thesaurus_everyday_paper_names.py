"""Adds the thesaurus lines shipped with this change (catalog/data/thesaurus.json, docs/search.md
«Thesaurus», sixteenth round): the everyday names and standard short forms of the papers the
catalogue's procedure names issue — the paper phrases of the names (giấy chứng nhận, giấy phép,
chứng chỉ, thẻ, sổ, tem, biển số …) counted by the number of names that write them, read top
down, each with the name people use where it differs ("giấy phép con" for "giấy chứng nhận đủ
điều kiện", "giấy kiểm dịch", "bảng số xe", "nước ngầm", "IRC", "CPA", "C/O" …), kept only where
catalogue names use the official wording. Only these lines, and only where the installation has
no line with the same phrase: a line an administrator deleted earlier is not brought back."""

from django.db import migrations

from catalog.migrations._thesaurus_lines import lines_adder

NOTES = ("Tên thường gọi và dạng viết tắt của giấy tờ trong danh mục (vòng mười sáu)",)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0015_search_thesaurus_driving_test_paper")]
    operations = [migrations.RunPython(lines_adder(NOTES), migrations.RunPython.noop)]
