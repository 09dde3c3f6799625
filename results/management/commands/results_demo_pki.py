"""Generate the demo's test CA and certificates into MOTCUA_PKI_DIR (var/pki/ by default)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from results.pki import demo_pki_create


class Command(BaseCommand):
    help = ("Tạo CA thử nghiệm và chứng thư số của cơ quan, lãnh đạo, TSA cho bản demo; mỗi "
            "lãnh đạo đã có tài khoản được cấp chứng thư số riêng (MOTCUA_SIGNING_HEAD_DIR).")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.MOTCUA_PKI_DIR))
        parser.add_argument("--password", default=settings.MOTCUA_SIGNING_PKCS12_PASSWORD
                            or "motcua-demo")
        parser.add_argument("--unit-name", default="Sở Tư pháp tỉnh Khánh Hòa (THỬ NGHIỆM)")
        parser.add_argument("--head-name", default="Lê Hoàng Nam (THỬ NGHIỆM)")
        # The demo head who signs through the remote-signing simulator (results/demo.py,
        # lanhdao.nnmt): the service's certificate must bear the signer's own name.
        parser.add_argument("--remote-head-name", default="Võ Quốc Bảo")
        parser.add_argument("--organisation", default="UBND tỉnh Khánh Hòa")
        parser.add_argument("--force", action="store_true",
                            help="Tạo lại dù đã có (chữ ký cũ sẽ không còn được tin cậy).")

    def handle(self, *args, **options):
        paths = demo_pki_create(root=Path(options["dir"]), password=options["password"],
                                unit_name=options["unit_name"], head_name=options["head_name"],
                                organisation=options["organisation"], force=options["force"],
                                remote_head_name=options["remote_head_name"])
        if Path(options["dir"]) == Path(settings.MOTCUA_PKI_DIR) \
                and settings.MOTCUA_SIGNING_HEAD_DIR:
            # Each head's own certificate (results/demo.py), before the demo approves anything:
            # head.p12 signs for its holder alone. Only into the configured folder, under the
            # configured CA (a test or bench CA elsewhere issues none).
            from results.demo import head_certificates_issue

            head_certificates_issue(paths, Path(settings.MOTCUA_SIGNING_HEAD_DIR))
        if options["verbosity"]:
            self.stdout.write(f"PKI thử nghiệm: {paths.root} (ca.pem, unit.p12, head.p12, tsa.p12, "
                              "remote-head.p12)")
