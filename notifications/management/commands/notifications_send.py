"""manage.py notifications_send: deliver the pending notifications that are due (retry worker)."""

import time

from django.core.management.base import BaseCommand

from notifications.delivery import notifications_deliver


class Command(BaseCommand):
    help = ("Gửi các thông báo (SMS, thư điện tử) đang chờ đến lượt; lỗi được thử lại theo "
            "thời gian chờ tăng dần. Chạy định kỳ (ví dụ mỗi phút) hoặc với --loop.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=200)
        parser.add_argument("--loop", action="store_true",
                            help="Chạy liên tục, nghỉ --sleep giây giữa các lượt.")
        parser.add_argument("--sleep", type=float, default=15)

    def handle(self, *args, batch: int, loop: bool, sleep: float, **options):
        while True:
            result = notifications_deliver(batch=batch)
            self.stdout.write(f"Đã gửi {result.sent}, lỗi {result.failed} (sẽ thử lại).")
            if not loop:
                return
            time.sleep(sleep)
