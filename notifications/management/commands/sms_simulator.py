"""manage.py sms_simulator --port 8200: the local SMS gateway for the demo."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.simulators import serve_until_interrupted
from notifications.sms_simulator import serve


class Command(BaseCommand):
    help = ("Chạy cổng SMS mô phỏng: nhận tin nhắn theo giao thức của notifications/sms.py và "
            "liệt kê chúng tại http://<host>:<port>/.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8200)
        parser.add_argument("--user", default=settings.MOTCUA_SMS_USER)
        parser.add_argument("--password", default=settings.MOTCUA_SMS_PASSWORD)

    def handle(self, *args, host: str, port: int, user: str, password: str, **options):
        server = serve(host=host, port=port, user=user, password=password)
        self.stdout.write(f"Cổng SMS mô phỏng tại http://{host}:{server.server_address[1]}/ "
                          f"(gửi tới /api/sms/). Ctrl+C để dừng.")
        self.stdout.flush()
        serve_until_interrupted(server)
