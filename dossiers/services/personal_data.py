"""Staff reads of a dossier's personal data, written to the access log the data subject reads
(accounts.services.data_access; Decree 13/2023/NĐ-CP, since 01/01/2026 Law 91/2025/QH15).

Called where a page or an API answer shows staff the applicant's data: opening the dossier,
printing its forms, downloading its papers. The applicant reading their own dossier is not
logged; neither are lists that show only names and codes to route work (docs/security.md).
"""

from accounts.models import PersonalDataAccess, User
from accounts.selectors import user_is_staff_member, user_unit_ids
from accounts.services.data_access import personal_data_read, personal_data_reads
from dossiers.models import Dossier
from dossiers.selectors import dossier_owner_number

ACTION = PersonalDataAccess.Action


def register_personal_read(*, actor: User, dossiers: list[Dossier], unit_id: int | None,
                           what: str) -> int:
    """An export of the register (Form 06) carries every listed applicant's data out of the
    system, and its page shows the same (name, address, phone of each row): one log row per
    dossier, so each person sees it on their own page. `what`: "PDF", "Excel", or "" for the
    page."""
    return personal_data_reads(
        actor=actor, unit=unit_id,
        action=ACTION.REGISTER_EXPORT if what else ACTION.REGISTER_VIEW,
        purpose=f"Xuất sổ theo dõi hồ sơ ({what})" if what else "Xem sổ theo dõi hồ sơ",
        reads=[(dossier_owner_number(d), d.owner_name or d.applicant_name, d.code)
               for d in dossiers])


def file_personal_read(*, actor: User, row) -> None:
    """Log a staff download of a paper attached to a dossier (a draft's file is its author's)."""
    if row.dossier_id:
        dossier_personal_read(actor=actor, dossier=row.dossier, action=ACTION.PAPER_DOWNLOAD,
                              purpose="Xem giấy tờ của hồ sơ",
                              reference=f"{row.dossier.code} · {row.download_name}")


def personal_read_logged(actor: User) -> bool:
    """Whether this reader's reads of a dossier are logged: staff's are, an applicant reading
    their own dossier is not. The cross-site guard of the views that serve both asks the same
    (motcua/cross_site.py)."""
    return user_is_staff_member(actor)


def dossier_personal_read(*, actor: User, dossier: Dossier, action: str, purpose: str,
                          reference: str = "") -> None:
    """Log that `actor` (staff) read `dossier`'s applicant data, for the unit they act for."""
    if not personal_read_logged(actor):
        return
    mine = user_unit_ids(actor)
    unit = next((u for u in (dossier.current_unit_id, dossier.receiving_unit_id,
                             dossier.competent_unit_id) if u in mine), None)
    personal_data_read(actor=actor, unit=unit, subject=dossier_owner_number(dossier),
                       subject_name=dossier.owner_name or dossier.applicant_name,
                       action=action, purpose=purpose,
                       reference=reference or dossier.code)


def list_search_personal_read(*, actor: User, query: str, dossiers: list[Dossier]) -> int:
    """A staff list searched by an ID or phone number shows who filed under it: one log row per
    dossier listed, and one for the number itself when it is an ID that found nothing (the
    search still asked about that person)."""
    reads = [(dossier_owner_number(d), d.owner_name or d.applicant_name, d.code)
             for d in dossiers]
    if not reads and len(query) in (9, 12):
        reads = [(query, "", "")]
    return personal_data_reads(actor=actor, action=ACTION.LIST_SEARCH,
                               purpose=f"Tìm hồ sơ trong danh sách theo «{query}»"[:255],
                               reads=reads)
