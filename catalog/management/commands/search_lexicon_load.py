"""`manage.py search_lexicon_load [--replace]`: the shipped thesaurus and life events."""

from django.core.management.base import BaseCommand, CommandParser

from catalog.services import search_lexicon_load


class Command(BaseCommand):
    help = ("Nạp từ đồng nghĩa và sự kiện cuộc sống kèm theo phần mềm (catalog/data/). Dòng "
            "quản trị viên đã có được giữ nguyên, trừ khi dùng --replace.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--replace", action="store_true",
                            help="Ghi đè các dòng đã có bằng nội dung kèm theo phần mềm.")

    def handle(self, *args, replace: bool, **options) -> None:
        lines, events = search_lexicon_load(replace=replace)
        self.stdout.write(f"Đã thêm {lines} dòng từ đồng nghĩa và {events} sự kiện cuộc sống.")
