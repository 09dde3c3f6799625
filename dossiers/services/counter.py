"""The counter's search of an applicant by personal ID: this system's earlier dossiers first,
then the national population database through the sync app's adapter (which logs the lookup)."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import PersonalDataAccess, Unit, User
from accounts.services.data_access import personal_data_read
from dossiers.selectors import applicant_previous
from motcua.errors import DomainError

COUNTER_PURPOSE = "Tiếp nhận hồ sơ tại bộ phận một cửa"


def applicant_find(*, actor: User, id_number: str, units: list[Unit] | None = None
                   ) -> tuple[dict[str, Any], list[str]]:
    """Pre-fill values for the counter form and the sources they came from (Vietnamese notes).

    The population database is authoritative for name and permanent address; an earlier dossier
    adds what the database does not hold (phone, e-mail) — from the desk's own units' dossiers
    only (dossiers.selectors.applicant_previous). Either may be missing or down: the officer
    then types, so a failure here is a note, never an error page. Every search that shows
    something of an earlier dossier is a read of personal data, logged.
    """
    id_number = (id_number or "").strip()
    values: dict[str, Any] = {"applicant_id_number": id_number}
    notes: list[str] = []
    unit_ids = {u.pk for u in units or []}
    previous = applicant_previous(id_number=id_number, unit_ids=unit_ids)
    if previous:
        values.update(previous)
        notes.append(_("Đã điền theo hồ sơ trước đây của người nộp trong hệ thống.")
                     if "applicant_phone" in previous else
                     _("Đã điền họ tên theo hồ sơ trước đây ở đơn vị khác; hỏi người nộp địa "
                       "chỉ, điện thoại."))
        personal_data_read(actor=actor, subject=id_number,
                           subject_name=previous.get("applicant_name", ""),
                           unit=next(iter(unit_ids), None),
                           action=PersonalDataAccess.Action.COUNTER_SEARCH,
                           purpose=COUNTER_PURPOSE,
                           outcome="đủ thông tin liên hệ" if "applicant_phone" in previous
                           else "chỉ họ tên (hồ sơ của đơn vị khác)")
    try:
        from sync.population import citizen_lookup
    except ImportError:  # an installation without the sync app
        citizen_lookup = None
    if citizen_lookup is not None:
        try:
            citizen = citizen_lookup(actor=actor, personal_id=id_number, purpose=COUNTER_PURPOSE)
        except DomainError as err:
            notes.append(_("CSDL quốc gia về dân cư: %(problem)s")
                         % {"problem": err.localized_message})
        else:
            values["applicant_kind"] = 1
            values["applicant_name"] = citizen.full_name
            if citizen.address:
                values["applicant_address"] = citizen.address
            notes.append(_("Đã đối chiếu họ tên, nơi thường trú với CSDL quốc gia về dân cư."))
    if not previous and len(notes) <= 1 and "applicant_name" not in values:
        notes.append(_("Chưa có hồ sơ nào của số định danh này trong hệ thống: nhập tay thông "
                       "tin."))
    return values, notes
