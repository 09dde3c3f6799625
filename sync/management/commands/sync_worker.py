"""Deliver the outbox to the national portal; runs for ever (systemd) or once (--once)."""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sync.delivery import sync_deliver_batch
from sync.portal_client import PortalClient


class Command(BaseCommand):
    help = "Gửi các bản tin đồng bộ đang chờ tới Cổng Dịch vụ công quốc gia."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="Gửi đến khi không còn bản tin đến hạn rồi dừng.")
        parser.add_argument("--batch", type=int, default=100, help="Số bản tin mỗi lượt.")
        parser.add_argument("--sleep", type=float, default=1.0,
                            help="Số giây nghỉ khi không có việc hoặc Cổng không trả lời.")

    def handle(self, *args, once: bool, batch: int, sleep: float, **options):
        if settings.MOTCUA_MODE != "province":
            raise CommandError("sync_worker chỉ chạy ở chế độ cấp tỉnh (MOTCUA_MODE=province).")
        stopping = False

        def stop(signum, frame):
            # systemd stops with SIGTERM: finish the message in hand, then leave.
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        client = PortalClient.from_settings()
        sent = 0
        try:
            while not stopping:
                result = sync_deliver_batch(client=client, batch=batch)
                sent += result.sent
                if result.claimed and not result.unavailable:
                    continue
                if once:
                    break
                time.sleep(sleep)
        finally:
            client.close()
        self.stdout.write(f"Đã gửi thành công {sent} bản tin.")
