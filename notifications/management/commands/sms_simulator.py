"""manage.py sms_simulator --port 8200: the local SMS gateway for the demo."""

from django.conf import settings

from motcua.simulator_command import SimulatorCommand
from notifications.sms_simulator import serve


class Command(SimulatorCommand):
    help = ("Chạy cổng SMS mô phỏng: nhận tin nhắn theo giao thức của notifications/sms.py và "
            "liệt kê chúng tại http://<host>:<port>/.")
    default_port = 8200
    announcement = "Cổng SMS mô phỏng tại {url}/ (gửi tới /api/sms/). Ctrl+C để dừng."

    def add_simulator_arguments(self, parser):
        parser.add_argument("--user", default=settings.MOTCUA_SMS_USER)
        parser.add_argument("--password", default=settings.MOTCUA_SMS_PASSWORD)

    def server(self, *, host, port, user, password, **options):
        return serve(host=host, port=port, user=user, password=password)
