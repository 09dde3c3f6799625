"""Number the results approved without a signature that wait for their number (results/
numbering.py), then render those whose PDF is still pending (results/rendering.py): soon after
their approval committed; runs for ever (`--loop`, systemd) or once."""

import signal
import time

from django.core.management.base import BaseCommand

from results.rendering import results_render_pending


class Command(BaseCommand):
    help = ("Cấp số cho các kết quả đã ban hành (không ký số) còn chờ cấp số, rồi tạo tệp PDF của "
            "các kết quả còn chờ tạo tệp, sau khi việc phê duyệt đã được ghi. Chạy một lượt, hoặc "
            "liên tục với --loop.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true",
                            help="Chạy liên tục, nghỉ --sleep giây khi không còn việc.")
        parser.add_argument("--sleep", type=float, default=2.0)
        parser.add_argument("--batch", type=int, default=50, help="Số kết quả mỗi lượt.")

    def handle(self, *args, loop: bool, sleep: float, batch: int, **options):
        stopping = False

        def stop(signum, frame):
            # systemd stops with SIGTERM: finish the result in hand, then leave.
            nonlocal stopping
            stopping = True

        before = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        total = 0
        try:
            while not stopping:
                done = results_render_pending(batch=batch)
                total += done
                if done:
                    continue
                if not loop:
                    break
                time.sleep(sleep)
        finally:
            for s, handler in before.items():
                signal.signal(s, handler)
        self.stdout.write(f"Đã tạo tệp cho {total} kết quả.")
