"""manage.py feedback_national_simulator --port 8230: the local national PAKN system."""

from django.conf import settings
from django.core.management.base import BaseCommand

from feedback.national_simulator import serve
from motcua.simulators import serve_until_interrupted


class Command(BaseCommand):
    help = ("Chạy Hệ thống PAKN quốc gia mô phỏng theo giao thức của feedback/national.py; "
            "xem những gì đã nhận tại http://<host>:<port>/.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8230)
        parser.add_argument("--user", default=settings.MOTCUA_FEEDBACK_NATIONAL_USER)
        parser.add_argument("--password", default=settings.MOTCUA_FEEDBACK_NATIONAL_PASSWORD)

    def handle(self, *args, host: str, port: int, user: str, password: str, **options):
        server = serve(host=host, port=port, user=user, password=password)
        self.stdout.write(f"Hệ thống PAKN quốc gia mô phỏng tại "
                          f"http://{host}:{server.server_address[1]}/. Ctrl+C để dừng.")
        self.stdout.flush()
        serve_until_interrupted(server)
