"""National mode: the receiving side of the portal's sync services (MOTCUA_MODE=national).

Each provincial installation logs in with its own credentials and gets a session token. A
DongBoHoSoMC snapshot is applied only when it is newer than what is stored (its `PhienBan`), so a
replayed or late message never moves a dossier backwards; a CapNhatTienDoHoSoMC row is stored
once; an idempotency key seen before gets the first answer again without applying anything.
"""

import hashlib
import json
import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from accounts.tokens import token_digest
from motcua.errors import DomainError
from sync.models import (
    Installation,
    InstallationSession,
    Kind,
    NationalDossier,
    NationalProgress,
    NationalReceipt,
    NationalSwitches,
)
from sync.portal_client import INVALID_PAYLOAD, SESSION_INVALID
from sync.portal_format import (
    ALREADY_EXISTS,
    VERSION_FIELD,
    dossier_record_errors,
    progress_record_errors,
)

MAX_RECORDS = 100
# Answer to a call that raced another one for the same dossier; worth sending again.
BUSY = "-4"
OK = {"error_code": "0", "message": "Đồng bộ thành công"}


class PortalRefusal(DomainError):
    """An answer with error_code ≠ 0: the request was understood and refused."""

    def __init__(self, error_code: str, message: str, message_en: str = "") -> None:
        super().__init__(f"portal_{error_code}", message, message_en, http_status=200)
        self.error_code = error_code

    def answer(self) -> dict[str, str]:
        return {"error_code": self.error_code, "message": self.message}


class SwitchedFailure(Exception):
    """The test switch says: answer HTTP 500 as a broken portal would."""


def installation_save(*, unit_code: str, name: str, username: str, password: str,
                      province_code: int | None = None) -> Installation:
    installation, _ = Installation.objects.update_or_create(
        unit_code=unit_code, defaults={"name": name, "username": username,
                                       "password": make_password(password),
                                       "province_code": province_code, "is_active": True})
    return installation


def session_open(*, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise PortalRefusal(INVALID_PAYLOAD, "Dữ liệu gửi lên phải là một đối tượng JSON.")
    installation = Installation.objects.filter(username=str(body.get("username", "")),
                                               is_active=True).first()
    password = str(body.get("password", ""))
    if installation is None:
        # The password is hashed once all the same, as Django's ModelBackend does: a username
        # no installation has must not answer sooner than a wrong password (audit10), or the
        # time of the answer tells which usernames exist.
        make_password(password)
    if installation is None or not check_password(password, installation.password):
        raise PortalRefusal(SESSION_INVALID, "Tên đăng nhập hoặc mật khẩu không đúng.")
    ttl = settings.MOTCUA_NATIONAL_TOKEN_TTL
    # Only the token's SHA-256 digest is kept, as for API tokens (accounts/tokens.py): 192
    # random bits, nothing to guess, read by the digest, so no secret is compared.
    token = secrets.token_hex(24)
    InstallationSession.objects.create(
        installation=installation, digest=token_digest(token),
        expires_at=timezone.now() + timedelta(seconds=ttl))
    return {"error_code": "0", "message": "Thành công", "session": token, "expires_in": ttl}


def installation_for_session(token: Any) -> Installation:
    session = (InstallationSession.objects.select_related("installation")
               .filter(digest=token_digest(str(token or "")), expires_at__gt=timezone.now(),
                       installation__is_active=True).first())
    if session is None:
        raise PortalRefusal(SESSION_INVALID, "Phiên làm việc không hợp lệ hoặc đã hết hạn.")
    return session.installation


def switches() -> NationalSwitches:
    return NationalSwitches.objects.get_or_create(pk=1)[0]


def _records(body: dict[str, Any]) -> list[Any]:
    data = body.get("data")
    if not isinstance(data, list) or not data:
        raise PortalRefusal(INVALID_PAYLOAD, "Trường data phải là danh sách có ít nhất một hồ sơ.")
    if len(data) > MAX_RECORDS:
        raise PortalRefusal(INVALID_PAYLOAD, f"Mỗi lần gửi tối đa {MAX_RECORDS} bản ghi.")
    return data


def _check(records: list[Any], check) -> None:
    problems = []
    for i, record in enumerate(records):
        errors = check(record)
        if errors:
            code = record.get("MaHoSo") if isinstance(record, dict) else None
            problems.append(f"Bản ghi {i + 1}{f' ({code})' if code else ''}: {' '.join(errors)}")
    if problems:
        raise PortalRefusal(INVALID_PAYLOAD, "Dữ liệu không hợp lệ. " + " ".join(problems))


def _apply_dossiers(installation: Installation, records: list[dict[str, Any]],
                    updating: bool) -> None:
    codes = [r["MaHoSo"] for r in records]
    stored = {d.code: d for d in NationalDossier.objects.select_for_update().filter(code__in=codes)}
    foreign = [c for c, d in stored.items() if d.installation_id != installation.pk]
    if foreign:
        raise PortalRefusal(INVALID_PAYLOAD, f"Hồ sơ {', '.join(foreign)} thuộc đơn vị khác.")
    if not updating and stored:
        raise PortalRefusal(ALREADY_EXISTS, "Hồ sơ đã tồn tại: " + ", ".join(sorted(stored)))
    new: dict[str, NationalDossier] = {}
    for record in records:
        version = record.get(VERSION_FIELD, 0)
        current = stored.get(record["MaHoSo"]) or new.get(record["MaHoSo"])
        if current is None:
            new[record["MaHoSo"]] = NationalDossier(
                code=record["MaHoSo"], installation=installation,
                status=int(record["TrangThaiHoSo"]), version=version, data=record)
        elif version == 0 or version > current.version:
            # Version 0: a sender without our extension; its last snapshot wins.
            current.status, current.version, current.data = (
                int(record["TrangThaiHoSo"]), version, record)
            if current.pk is not None:
                current.applied += 1
                current.save(update_fields=["status", "version", "data", "applied",
                                            "updated_at"])
    if new:
        try:
            with transaction.atomic():
                NationalDossier.objects.bulk_create(new.values())
        except IntegrityError as exc:
            # Another call created one of them a moment ago: the sender retries, then updates.
            raise PortalRefusal(BUSY, "Hồ sơ đang được ghi đồng thời, vui lòng gửi lại.") \
                from exc


def _apply_progress(installation: Installation, records: list[dict[str, Any]]) -> None:
    # A history row belongs to the dossier of the province that sent its snapshot, as the
    # snapshot itself does (_apply_dossiers): another province may not write into it.
    codes = {r["MaHoSo"] for r in records}
    foreign = sorted(NationalDossier.objects.filter(code__in=codes)
                     .exclude(installation=installation).values_list("code", flat=True))
    if foreign:
        raise PortalRefusal(INVALID_PAYLOAD, f"Hồ sơ {', '.join(foreign)} thuộc đơn vị khác.")
    rows = []
    for record in records:
        digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
        rows.append(NationalProgress(code=record["MaHoSo"], row_hash=digest,
                                     installation=installation, at=record["ThoiDiemXuLy"],
                                     row=record))
    NationalProgress.objects.bulk_create(rows, ignore_conflicts=True)


def _fresh(installation: Installation, records: list[dict[str, Any]],
           keys: list[str]) -> list[dict[str, Any]]:
    """The records whose key was not seen before; a key seen before is counted as a replay."""
    if not keys:
        return records
    seen = set(NationalReceipt.objects.filter(installation=installation, key__in=keys)
               .values_list("key", flat=True))
    if seen:
        NationalReceipt.objects.filter(installation=installation, key__in=seen).update(
            hits=F("hits") + 1)
    fresh = [(r, k) for r, k in zip(records, keys, strict=True) if k not in seen]
    try:
        with transaction.atomic():
            NationalReceipt.objects.bulk_create(
                [NationalReceipt(installation=installation, key=k, answer=OK) for _, k in fresh])
    except IntegrityError as exc:
        # The same key is being applied by a call in flight (a sender that timed out and
        # retried): let that one finish; this one is answered after a retry.
        raise PortalRefusal(BUSY, "Bản tin đang được xử lý, vui lòng gửi lại.") from exc
    return [r for r, _ in fresh]


def national_receive(*, body: Any, idempotency_key: str = "") -> dict[str, Any]:
    """Apply one DongBoHoSoMC / CapNhatTienDoHoSoMC call; the answer the portal gives.

    `idempotency_key` holds one key per record of `data`, separated by commas.
    """
    if not isinstance(body, dict):
        raise PortalRefusal(INVALID_PAYLOAD, "Dữ liệu gửi lên phải là một đối tượng JSON.")
    installation = installation_for_session(body.get("session"))
    if str(body.get("madonvi", "")) != installation.unit_code:
        raise PortalRefusal(INVALID_PAYLOAD, "Mã đơn vị (madonvi) không khớp với tài khoản.")
    service = body.get("service")
    if service not in Kind.values:
        raise PortalRefusal(INVALID_PAYLOAD, "Dịch vụ (service) không được hỗ trợ.")
    records = _records(body)
    updating = str(body.get("isUpdating", "False")).lower() == "true"
    check = dossier_record_errors if service == Kind.DOSSIER else progress_record_errors
    _check(records, check)
    keys = [k.strip()[:100] for k in idempotency_key.split(",")] if idempotency_key else []
    if keys and (len(keys) != len(records) or len(set(keys)) != len(keys) or not all(keys)):
        raise PortalRefusal(INVALID_PAYLOAD,
                            "Idempotency-Key phải gồm một khóa khác nhau cho mỗi bản ghi.")
    test_switches = switches() if settings.MOTCUA_NATIONAL_TEST_SWITCHES else None
    if test_switches and test_switches.fail_http_500:
        raise SwitchedFailure
    if test_switches and test_switches.already_exists and service == Kind.DOSSIER \
            and not updating:
        raise PortalRefusal(ALREADY_EXISTS, "Hồ sơ đã tồn tại.")
    with transaction.atomic():
        # Records sent before (the sender timed out or died before our answer) are answered
        # again without being applied a second time.
        fresh = _fresh(installation, records, keys)
        if fresh and service == Kind.DOSSIER:
            _apply_dossiers(installation, fresh, updating)
        elif fresh:
            _apply_progress(installation, fresh)
    if test_switches and test_switches.delay_seconds:
        # Slow answer after the data is stored: the sender's timeout hits a call that succeeded.
        time.sleep(test_switches.delay_seconds)
    return dict(OK)


def national_lookup(*, codes: list[str], installation: Installation | None = None,
                    province_code: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Dossiers as stored at the national side; an installation sees only its own."""
    rows = NationalDossier.objects.select_related("installation").order_by("code")
    if codes:
        rows = rows.filter(code__in=codes)
    if installation is not None:
        rows = rows.filter(installation=installation)
    if province_code is not None:
        rows = rows.filter(installation__province_code=province_code)
    progress: dict[str, list[dict[str, Any]]] = {}
    page = list(rows[:limit])
    owners = {d.code: d.installation_id for d in page}
    # Read through the (code, installation, row hash) unique index: the owners' rows only.
    for p in NationalProgress.objects.filter(code__in=list(owners),
                                             installation_id__in=set(owners.values())):
        # Only the rows the dossier's own province sent: a row another one sent for the same
        # code before the snapshot existed is not this dossier's history.
        if p.installation_id == owners[p.code]:
            progress.setdefault(p.code, []).append(p.row)
    return [{"MaHoSo": d.code, "TrangThaiHoSo": str(d.status), "PhienBan": d.version,
             "madonvi": d.installation.unit_code, "SoLanCapNhat": d.applied,
             "TienDo": progress.get(d.code, [])} for d in page]


def national_counts() -> list[dict[str, Any]]:
    """Dossiers per province and status code: the nationwide picture."""
    rows = (NationalDossier.objects
            .values("installation__province_code", "installation__unit_code",
                    "installation__name", "status")
            .annotate(n=Count("id")).order_by("installation__unit_code", "status"))
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = out.setdefault(r["installation__unit_code"], {
            "madonvi": r["installation__unit_code"], "ten": r["installation__name"],
            "ma_tinh": r["installation__province_code"], "tong": 0, "theo_trang_thai": {}})
        entry["tong"] += r["n"]
        entry["theo_trang_thai"][str(r["status"])] = r["n"]
    return list(out.values())


def switches_set(*, body: dict[str, Any]) -> dict[str, Any]:
    """Set the test switches; `reset` also forgets every dossier, row and receipt received."""
    s = switches()
    if "fail_http_500" in body:
        s.fail_http_500 = bool(body["fail_http_500"])
    if "delay_seconds" in body:
        s.delay_seconds = max(0.0, float(body["delay_seconds"]))
    if "already_exists" in body:
        s.already_exists = bool(body["already_exists"])
    s.save()
    if body.get("reset"):
        NationalProgress.objects.all().delete()
        NationalDossier.objects.all().delete()
        NationalReceipt.objects.all().delete()
    return switches_state()


def switches_state() -> dict[str, Any]:
    s = switches()
    receipts = NationalReceipt.objects.all()
    return {"fail_http_500": s.fail_http_500, "delay_seconds": s.delay_seconds,
            "already_exists": s.already_exists, "receipts": receipts.count(),
            "replays": sum(max(h - 1, 0) for h in receipts.values_list("hits", flat=True))}
