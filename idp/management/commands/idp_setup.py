"""Register motcua as a client of the simulator and create the demo citizens (idempotent)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from oauth2_provider.models import Application

from idp.models import Citizen

DEMO_PASSWORD = "vneid-demo-2026"
# Valid personal IDs (AAA B CC DDDDDD): birth province, century/sex digit, year, serial.
DEMO_CITIZENS = [
    ("079195000123", "Trần Thị Bình", date(1995, 3, 12), "0912000123", "binh@example.vn"),
    ("001088004567", "Lê Văn Cường", date(1988, 7, 1), "0987004567", ""),
    # The same person as motcua's local demo account "congdan": to show linking VNeID.
    ("056090001234", "Nguyễn Văn An", date(1990, 5, 20), "0905123456", "congdan@example.vn"),
    ("048302000789", "Phạm Minh Đức", date(2002, 11, 30), "", ""),
]


class Command(BaseCommand):
    help = "Tạo ứng dụng khách OIDC cho motcua và các công dân mẫu trên máy chủ VNeID mô phỏng."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--client-id", default="motcua-demo")
        parser.add_argument("--client-secret", default="motcua-demo-secret-khong-dung-that")
        parser.add_argument("--redirect-uri", action="append", dest="redirect_uris",
                            help="Callback address of motcua (repeatable); default: "
                                 "http://127.0.0.1:8000/oidc/callback/ and the localhost one.")

    @transaction.atomic
    def handle(self, *args, client_id: str, client_secret: str,
               redirect_uris: list[str] | None, **options) -> None:
        uris = redirect_uris or ["http://127.0.0.1:8000/oidc/callback/",
                                 "http://localhost:8000/oidc/callback/"]
        app = Application.objects.filter(client_id=client_id).first() or Application(
            client_id=client_id)
        app.name = "Hệ thống một cửa điện tử (motcua)"
        app.client_secret = client_secret
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.redirect_uris = " ".join(uris)
        app.algorithm = Application.RS256_ALGORITHM
        # The citizen already chose to sign in to motcua; VNeID shows no consent screen for it.
        app.skip_authorization = True
        app.save()
        User = get_user_model()
        for personal_id, name, born, phone, email in DEMO_CITIZENS:
            user, _ = User.objects.get_or_create(username=personal_id)
            user.set_password(DEMO_PASSWORD)
            user.save()
            Citizen.objects.update_or_create(
                personal_id=personal_id,
                defaults={"user": user, "full_name": name, "birth_date": born, "phone": phone,
                          "email": email})
        self.stdout.write(f"Client {client_id} → {', '.join(uris)}; "
                          f"{len(DEMO_CITIZENS)} demo citizens, password {DEMO_PASSWORD}")
