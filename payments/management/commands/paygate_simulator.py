"""Run the local payment-gateway simulator (payments/simulator.py) as a server process."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.simulators import serve_until_interrupted
from payments.simulator import simulator_server


class Command(BaseCommand):
    help = "Chạy cổng thanh toán mô phỏng (chỉ dùng cho thử nghiệm và trình diễn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8300)
        parser.add_argument("--merchant", default=None)
        parser.add_argument("--secret", default=None)

    def handle(self, *args, host, port, merchant, secret, **options):
        merchant = merchant or settings.MOTCUA_PAYGATE_MERCHANT
        secret = secret or settings.MOTCUA_PAYGATE_SECRET
        if not secret:
            raise CommandError("Cần MOTCUA_PAYGATE_SECRET hoặc --secret.")
        server = simulator_server(host=host, port=port, merchant=merchant, secret=secret)
        self.stdout.write(f"Cổng thanh toán mô phỏng: http://{host}:{server.server_port}/ "
                          f"(merchant {merchant})", ending="\n")
        self.stdout.flush()
        serve_until_interrupted(server)
