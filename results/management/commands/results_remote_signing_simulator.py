"""manage.py results_remote_signing_simulator --port 8500: the local remote-signing service."""

from django.conf import settings

from motcua.simulator_command import SimulatorCommand
from results.remote_signing_simulator import keys_from, serve


class Command(SimulatorCommand):
    help = ("Chạy dịch vụ ký số từ xa mô phỏng (giao thức của results/remote_signing.py), ký "
            "bằng chứng thư của bản demo (var/pki/remote-head.p12, mã “head”).")
    default_port = 8500
    announcement = "Dịch vụ ký số từ xa mô phỏng tại {url}/. Ctrl+C để dừng."

    def add_simulator_arguments(self, parser):
        parser.add_argument("--key", action="append",
                            help="mã=đường-dẫn.p12; mặc định head=<MOTCUA_PKI_DIR>/remote-head.p12")
        parser.add_argument("--password", default=settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD
                            or "motcua-demo")
        parser.add_argument("--token", default=settings.MOTCUA_REMOTE_SIGNING_TOKEN)

    def server(self, *, host, port, key, password, token, **options):
        # The demo's remote signer has a certificate of their own (results_demo_pki); a
        # directory made before it has only the first head's.
        own = settings.MOTCUA_PKI_DIR / "remote-head.p12"
        specs = key or [f"head={own if own.exists() else settings.MOTCUA_PKI_DIR / 'head.p12'}"]
        return serve(host=host, port=port, keys=keys_from(specs, password), token=token)
