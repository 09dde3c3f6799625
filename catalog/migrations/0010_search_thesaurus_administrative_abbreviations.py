"""Adds the thesaurus lines shipped with this change (catalog/data/thesaurus.json, docs/search.md
«Thesaurus»): abbreviations of state administrative writing (ministries and departments,
business and investment papers, fields) and everyday names of fees, papers and businesses. Only
these lines, and only where the installation has no line with the same phrase: a line an
administrator deleted earlier is not brought back."""

from django.db import migrations

from catalog.migrations._thesaurus_lines import lines_adder

NOTES = ("Viết tắt trong văn bản hành chính nhà nước",
         "Cách gọi thường ngày của một loại giấy tờ, khoản thu hoặc cơ sở kinh doanh")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_unmatched_search_log")]
    operations = [migrations.RunPython(lines_adder(NOTES), migrations.RunPython.noop)]
