"""manage.py feedback_national_simulator --port 8230: the local national PAKN system."""

from django.conf import settings

from feedback.national_simulator import serve
from motcua.simulator_command import SimulatorCommand


class Command(SimulatorCommand):
    help = ("Chạy Hệ thống PAKN quốc gia mô phỏng theo giao thức của feedback/national.py; "
            "xem những gì đã nhận tại http://<host>:<port>/.")
    default_port = 8230
    announcement = "Hệ thống PAKN quốc gia mô phỏng tại {url}/. Ctrl+C để dừng."

    def add_simulator_arguments(self, parser):
        parser.add_argument("--user", default=settings.MOTCUA_FEEDBACK_NATIONAL_USER)
        parser.add_argument("--password", default=settings.MOTCUA_FEEDBACK_NATIONAL_PASSWORD)

    def server(self, *, host, port, user, password, **options):
        return serve(host=host, port=port, user=user, password=password)
