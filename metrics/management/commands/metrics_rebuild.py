"""manage.py metrics_rebuild: recompute the service-index day counters from the event log."""

import time

from django.core.management.base import BaseCommand

from evaluations.counters import evaluation_counters_rebuild
from metrics.counters import counters_rebuild


class Command(BaseCommand):
    help = "Tính lại toàn bộ bộ đếm chỉ số 766 theo ngày từ nhật ký sự kiện hồ sơ."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = counters_rebuild()
        # The evaluations' day counters (satisfaction indicator), from the evaluations table.
        rows += evaluation_counters_rebuild()
        self.stdout.write(f"Đã tính lại {rows} dòng bộ đếm trong "
                          f"{time.perf_counter() - started:.1f} giây.")
