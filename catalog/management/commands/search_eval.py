"""`manage.py search_eval FILE`: top-1 and top-3 of the procedure search on a set of queries."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from catalog.evaluation.measure import QuerySetError, evaluate, query_set
from catalog.models import Procedure
from catalog.selectors import procedure_codes_ranked


class Command(BaseCommand):
    help = ("Đo chất lượng tìm kiếm thủ tục: tệp JSON lines, mỗi dòng {\"query\": …, "
            "\"acceptable\": [mã thủ tục, …]} (\"kind\" nếu có để tách số liệu theo loại). "
            "In tỷ lệ thủ tục đúng đứng đầu (top-1) và nằm trong ba kết quả đầu (top-3).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .jsonl các truy vấn")
        parser.add_argument("--misses", action="store_true",
                            help="In thêm các truy vấn mà thủ tục đúng không đứng đầu.")

    def handle(self, *args, file: Path, misses: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        try:
            queries = query_set(file)
        except QuerySetError as error:
            raise CommandError(str(error)) from None
        active = Procedure.objects.filter(is_active=True).count()
        self.stdout.write(f"Cơ sở dữ liệu: {connection.vendor}; {active} thủ tục đang áp dụng; "
                          f"{len(queries)} truy vấn từ {file}.")
        report = evaluate(queries, lambda q: procedure_codes_ranked(query=q, limit=10))
        for line in report.lines():
            self.stdout.write(line)
        if misses:
            for miss in report.misses:
                where = f"hạng {miss.rank}" if miss.rank else "không trong 10 đầu"
                self.stdout.write(f"- [{miss.kind}] {miss.query!r}: cần {miss.acceptable}, "
                                  f"{where}, được {miss.found[:3]}")
