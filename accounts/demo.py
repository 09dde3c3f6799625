"""Demo data for `make run`: a province, its service centre, two departments, two communes,
staff accounts for every role, a citizen, about 30 real procedures and a few dossiers.

The unit identifiers below are illustrative; a real installation takes its own from the
national list of electronic identifiers (domain.md §5) and never derives them.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import Commune, Membership, Province, Role, Unit, User

DEMO_PASSWORD = "motcua@2026"
PROVINCE_CODE = 56  # Tỉnh Khánh Hòa (official NSO code)

UNITS = [
    # code, name, short, kind, parent code, receives dossiers, commune code
    ("000.00.00.H56", "Ủy ban nhân dân tỉnh Khánh Hòa", "UBND tỉnh", Unit.Kind.PROVINCE, None,
     False, None),
    ("000.00.12.H56", "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa", "Trung tâm PVHCC",
     Unit.Kind.CENTRE, "000.00.00.H56", True, None),
    ("000.00.15.H56", "Sở Tư pháp tỉnh Khánh Hòa", "Sở Tư pháp", Unit.Kind.DEPARTMENT,
     "000.00.00.H56", False, None),
    ("000.00.21.H56", "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa", "Sở NN&MT",
     Unit.Kind.DEPARTMENT, "000.00.00.H56", False, None),
    ("000.31.01.H56", "Ủy ban nhân dân phường Nha Trang", "UBND phường Nha Trang",
     Unit.Kind.COMMUNE, "000.00.00.H56", True, 22366),
    ("000.31.02.H56", "Ủy ban nhân dân phường Bắc Nha Trang", "UBND phường Bắc Nha Trang",
     Unit.Kind.COMMUNE, "000.00.00.H56", True, 22333),
]

STAFF = [
    # username, full name, title, unit code, roles
    ("tiepnhan", "Nguyễn Thị Lan", "Chuyên viên tiếp nhận", "000.00.12.H56", [Role.RECEIVING]),
    ("chuyenvien.tp", "Trần Văn Minh", "Chuyên viên", "000.00.15.H56", [Role.SPECIALIST]),
    ("lanhdao.tp", "Lê Hoàng Nam", "Phó Giám đốc Sở", "000.00.15.H56", [Role.HEAD]),
    ("chuyenvien.nnmt", "Phạm Thu Hà", "Chuyên viên", "000.00.21.H56", [Role.SPECIALIST]),
    ("lanhdao.nnmt", "Võ Quốc Bảo", "Giám đốc Sở", "000.00.21.H56", [Role.HEAD]),
    ("tiepnhan.nhatrang", "Đặng Thị Mai", "Công chức một cửa", "000.31.01.H56",
     [Role.RECEIVING]),
    ("chuyenvien.nhatrang", "Huỳnh Văn Tâm", "Công chức Tư pháp - Hộ tịch", "000.31.01.H56",
     [Role.SPECIALIST]),
    ("lanhdao.nhatrang", "Bùi Minh Khoa", "Phó Chủ tịch UBND phường", "000.31.01.H56",
     [Role.HEAD]),
    ("tiepnhan.bacnhatrang", "Ngô Thị Hạnh", "Công chức một cửa", "000.31.02.H56",
     [Role.RECEIVING, Role.SPECIALIST]),
    ("lanhdao.bacnhatrang", "Phan Đức Huy", "Chủ tịch UBND phường", "000.31.02.H56",
     [Role.HEAD]),
    # The tablet facing the applicant at the centre's desk (evaluations/screen.py).
    ("manhinh.quay1", "Màn hình đánh giá quầy 1", "", "000.00.12.H56", [Role.SCREEN]),
]

DEMO_PROCEDURES = Path(__file__).resolve().parent.parent / "catalog" / "demo" / "procedures.jsonl"

# Fields whose provincial-level procedures the demo's land and environment department handles.
NNMT_WORDS = ("đất đai", "môi trường", "tài nguyên", "nông nghiệp", "thủy lợi", "lâm nghiệp")


def _units() -> dict[str, Unit]:
    province = Province.objects.get(code=PROVINCE_CODE)
    units: dict[str, Unit] = {}
    for code, name, short, kind, parent, receives, commune in UNITS:
        units[code], _ = Unit.objects.update_or_create(code=code, defaults={
            "name": name, "short_name": short, "kind": kind, "parent": units.get(parent),
            "province": province, "receives_dossiers": receives,
            "commune": Commune.objects.get(code=commune) if commune else None,
            "address": "Nha Trang, Khánh Hòa", "phone": "0258 3 822 000",
        })
    return units


def _people(units: dict[str, Unit]) -> None:
    for username, full_name, title, unit_code, roles in STAFF:
        user, created = User.objects.get_or_create(username=username, defaults={
            "full_name": full_name, "title": title, "kind": User.Kind.STAFF})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for role in roles:
            Membership.objects.get_or_create(user=user, unit=units[unit_code], role=role)
    admin, created = User.objects.get_or_create(username="quantri", defaults={
        "full_name": "Quản trị hệ thống", "kind": User.Kind.STAFF, "is_staff": True,
        "is_superuser": True})
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    Membership.objects.get_or_create(user=admin, unit=units["000.00.00.H56"], role=Role.ADMIN)
    citizen, created = User.objects.get_or_create(username="congdan", defaults={
        "full_name": "Nguyễn Văn An", "kind": User.Kind.CITIZEN, "personal_id": "056090001234",
        "phone": "0905123456", "email": "congdan@example.vn"})
    if created:
        citizen.set_password(DEMO_PASSWORD)
        citizen.save()
    # The demo citizen proved who he is at the centre's desk (accounts/services/identity.py), so
    # his data store, counter dossiers and pre-filled address open to his password account.
    from accounts.models import IdentityProof
    from accounts.services.identity import identity_prove_at_desk

    if not citizen.identity_proofs.filter(revoked_at__isnull=True).exists():
        identity_prove_at_desk(officer=User.objects.get(username="tiepnhan"),
                               unit=units["000.00.12.H56"], account=citizen,
                               kind=IdentityProof.Kind.PERSONAL, number="056090001234",
                               paper="Thẻ căn cước số 056090001234 (dữ liệu mẫu)")


def _authenticators() -> None:
    """Every demo staff account that owes a second factor gets an authenticator with a random
    key, so the demo can be walked with `manage.py demo_otp <username>` instead of a phone."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import second_factor_required

    with override_settings(MOTCUA_SECOND_FACTOR_REQUIRED=True):
        for user in User.objects.filter(username__in=[s[0] for s in STAFF] + ["quantri"]):
            if second_factor_required(user) and not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực (mẫu)",
                                          confirmed=True)


def demo_otp_code(username: str, *, ahead: int = 0) -> str | None:
    """The code a demo account's authenticator shows now (`ahead` steps later)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _procedures(units: dict[str, Unit]) -> None:
    from catalog.importer import import_catalog
    from catalog.models import Procedure

    with open(DEMO_PROCEDURES, encoding="utf-8") as f:
        import_catalog(f)
    for procedure in Procedure.objects.filter(is_active=True).select_related("field"):
        if procedure.level == Procedure.Level.COMMUNE:
            continue  # decided by the commune that receives the dossier
        field = (procedure.field.name if procedure.field else "").lower()
        code = "000.00.21.H56" if any(w in field for w in NNMT_WORDS) else "000.00.15.H56"
        procedure.competent_unit = units[code]
        procedure.save(update_fields=["competent_unit"])


def _dossiers(units: dict[str, Unit]) -> int:
    """A few dossiers at different stages so that every inbox has something to show."""
    from catalog.models import Procedure, TimeLimit
    from dossiers.models import Dossier
    from dossiers.services import dossier_act, dossier_create

    if Dossier.objects.exists():
        return 0
    desk = User.objects.get(username="tiepnhan")
    specialist = User.objects.get(username="chuyenvien.tp")
    head = User.objects.get(username="lanhdao.tp")
    procedures = (Procedure.objects.filter(is_active=True, competent_unit=units["000.00.15.H56"],
                                           variants__time_limits__channel=1,
                                           variants__time_limits__unit="working_days",
                                           variants__time_limits__amount__gte=Decimal(3))
                  .distinct().order_by("code")[:3])
    applicants = [
        {"kind": 1, "name": "Trần Thị Bích", "id_number": "056185004321",
         "address": "12 Trần Phú, phường Nha Trang, tỉnh Khánh Hòa", "phone": "0914222333"},
        {"kind": 1, "name": "Lê Văn Cường", "id_number": "056088007654",
         "address": "45 Lê Thánh Tôn, phường Nha Trang, tỉnh Khánh Hòa", "phone": "0935444555"},
        {"kind": 1, "name": "Phạm Minh Đức", "id_number": "056201001122",
         "address": "7 Nguyễn Thiện Thuật, phường Bắc Nha Trang, tỉnh Khánh Hòa",
         "phone": "0988777666"},
    ]
    now = timezone.now()
    today = timezone.localdate(now)
    made = 0
    for i, procedure in enumerate(procedures):
        variant = procedure.variants.filter(time_limits__channel=1).first()
        if not TimeLimit.objects.filter(variant=variant, channel=1).exists():
            continue
        docs = [{"required_document": d.pk, "original_seen": True}
                for d in variant.documents.filter(optional=False)]
        # Received at 08:00 of the day 2, 3, 4 days back in Vietnam's time: anchored to the day,
        # not to the clock ("now − N days" kept the hour of the load, so a load after office
        # hours started the clocks a working day later than one before, and the demo copy the
        # browser tests start from differed from a fresh load; reform/demo_par.py likewise).
        start = timezone.make_aware(datetime.combine(today - timedelta(days=2 + i), time(8)))
        dossier, _ = dossier_create(actor=desk, variant=variant, channel=1,
                                    receiving_unit=units["000.00.12.H56"],
                                    applicant=applicants[i], documents=docs, accept=True,
                                    at=start)
        made += 1
        if i >= 1:
            dossier = dossier_act(dossier=dossier, actor=desk, action="forward",
                                  data={"assignee": specialist.pk},
                                  at=start + timedelta(hours=1))
        if i >= 2:
            dossier_act(dossier=dossier, actor=specialist, action="forward",
                        data={"assignee": head.pk}, at=start + timedelta(days=1))
    dossier_create(actor=User.objects.get(username="tiepnhan"), variant=procedures[0]
                   .variants.first(), channel=3, receiving_unit=units["000.00.12.H56"],
                   applicant={"kind": 1, "name": "Võ Thị Em", "id_number": "056192008899",
                              "address": "Cam Ranh, tỉnh Khánh Hòa"}, at=now)
    return made + 1


@transaction.atomic
def load_demo() -> dict[str, int]:
    units = _units()
    _people(units)
    _authenticators()
    _procedures(units)
    # A test CA and certificates in var/pki/, so approvals sign their results (docs/results.md).
    call_command("results_demo_pki", verbosity=0)
    # An illustrative collection account, so fee requests in the demo show a VietQR code.
    call_command("payment_account_set", "000.00.00.H56", bin="970415", account="0000560000001",
                 name="UBND TINH KHANH HOA DU LIEU MAU", bank="VietinBank", verbosity=0)
    from catalog.models import Procedure

    counts = {"units": len(units), "staff": len(STAFF) + 1,
              "procedures": Procedure.objects.filter(is_active=True).count(),
              "dossiers": _dossiers(units)}
    for path in settings.MOTCUA_DEMO_EXTRAS:
        counts.update(import_string(path)())
    return counts
