"""manage.py metrics_fold: the service-index counters of closed days and months, one row a key."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from metrics.counters import counters_fold, local_day


class Command(BaseCommand):
    help = ("Gộp các ô đếm (slot) của từng khóa bộ đếm chỉ số 766 của những ngày, tháng đã qua "
            "về một dòng; số liệu không đổi. Chạy hằng đêm.")

    def handle(self, *args, **options):
        removed = counters_fold(today=local_day(timezone.now()))
        self.stdout.write(f"Đã gộp bộ đếm: bớt {removed} dòng.")
