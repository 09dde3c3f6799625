"""Run the local payment-gateway simulator (payments/simulator.py) as a server process."""

from django.conf import settings
from django.core.management.base import CommandError

from motcua.simulator_command import SimulatorCommand
from payments.simulator import simulator_server


class Command(SimulatorCommand):
    help = "Chạy cổng thanh toán mô phỏng (chỉ dùng cho thử nghiệm và trình diễn)."
    default_port = 8300

    def add_simulator_arguments(self, parser):
        parser.add_argument("--merchant", default=None)
        parser.add_argument("--secret", default=None)

    def server(self, *, host, port, merchant, secret, **options):
        merchant = merchant or settings.MOTCUA_PAYGATE_MERCHANT
        secret = secret or settings.MOTCUA_PAYGATE_SECRET
        if not secret:
            raise CommandError("Cần MOTCUA_PAYGATE_SECRET hoặc --secret.")
        self.announcement = f"Cổng thanh toán mô phỏng: {{url}}/ (merchant {merchant})"
        return simulator_server(host=host, port=port, merchant=merchant, secret=secret)
