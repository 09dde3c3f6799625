"""`manage.py import_procedures FILE`: load the national procedure database export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.importer import import_catalog


class Command(BaseCommand):
    help = ("Nhập thủ tục hành chính từ tệp xuất của Cơ sở dữ liệu quốc gia (.jsonl hoặc "
            ".jsonl.gz). Nhập lại cùng tệp không tạo phiên bản mới.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .jsonl hoặc .jsonl.gz")
        parser.add_argument("--quiet", action="store_true",
                            help="Chỉ in phần tổng kết, không in từng thủ tục có vấn đề.")

    def handle(self, *args, file: Path, quiet: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        report = import_catalog(file, stdout=None if quiet else self.stdout)
        for line in report.summary():
            self.stdout.write(line)
        if report.rejected:
            self.stdout.write(self.style.WARNING(
                f"{len(report.rejected)} dòng bị bỏ qua vì không đọc được."))
