"""`manage.py search_unmatched_prune [--days N]`: forget the log of searches with no good match
older than N days (365 by default); run it nightly beside `search_index`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.services import UNMATCHED_KEPT_DAYS, unmatched_searches_prune


class Command(BaseCommand):
    help = ("Xóa nhật ký tìm kiếm không có kết quả phù hợp cũ hơn N ngày "
            f"(mặc định {UNMATCHED_KEPT_DAYS}).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=UNMATCHED_KEPT_DAYS,
                            help="Số ngày giữ lại.")

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("Số ngày giữ lại phải từ 1 trở lên.")
        deleted = unmatched_searches_prune(days=days)
        self.stdout.write(f"Đã xóa {deleted} dòng cũ hơn {days} ngày.")
