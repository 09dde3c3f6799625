"""manage.py results_remote_signing_simulator --port 8500: the local remote-signing service."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.simulators import serve_until_interrupted
from results.remote_signing_simulator import keys_from, serve


class Command(BaseCommand):
    help = ("Chạy dịch vụ ký số từ xa mô phỏng (giao thức của results/remote_signing.py), ký "
            "bằng chứng thư của bản demo (var/pki/head.p12, mã “head”).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8500)
        parser.add_argument("--key", action="append",
                            help="mã=đường-dẫn.p12; mặc định head=<MOTCUA_PKI_DIR>/head.p12")
        parser.add_argument("--password", default=settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD
                            or "motcua-demo")
        parser.add_argument("--token", default=settings.MOTCUA_REMOTE_SIGNING_TOKEN)

    def handle(self, *args, host: str, port: int, key: list[str] | None, password: str,
               token: str, **options):
        specs = key or [f"head={settings.MOTCUA_PKI_DIR / 'head.p12'}"]
        server = serve(host=host, port=port, keys=keys_from(specs, password), token=token)
        self.stdout.write(f"Dịch vụ ký số từ xa mô phỏng tại http://{host}:"
                          f"{server.server_address[1]}/. Ctrl+C để dừng.")
        self.stdout.flush()
        serve_until_interrupted(server)
