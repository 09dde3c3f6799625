"""Adds the thesaurus lines shipped with this change (catalog/data/thesaurus.json, docs/search.md
«Thesaurus»): everyday verbs for the actions catalogue names start with ("duyệt", "rút giấy
phép", "làm thẻ", "dừng kinh doanh", "nhận nuôi"…), and a few regional or everyday words whose
official wording catalogue names use ("heo", "bỏ quốc tịch", "trạm xăng"…). Only these lines,
and only where the installation has no line with the same phrase: a line an administrator
deleted earlier is not brought back."""

from django.db import migrations

from catalog.migrations._thesaurus_lines import lines_adder

NOTES = ("Động từ thường ngày cho hành động đứng đầu tên thủ tục",
         "Từ địa phương và cách gọi thường ngày của việc quốc tịch và cơ sở kinh doanh")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_procedure_list_order")]
    operations = [migrations.RunPython(lines_adder(NOTES), migrations.RunPython.noop)]
