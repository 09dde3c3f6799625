"""The log of staff reads of personal data (accounts.models.PersonalDataAccess).

Every place that shows staff a person's data calls `personal_data_read` in the same request:
the counter's applicant search, opening a dossier, printing its forms, downloading its papers
and stored results, population-database lookups (refused ones too), desk identity proofs.
The data subject's right to know who processed their data: Decree 13/2023/NĐ-CP art. 9, since
01/01/2026 the Law on Personal Data Protection 91/2025/QH15. docs/security.md lists the reads.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from accounts.models import PersonalDataAccess, Unit, User
from accounts.selectors import user_roles


def _acting_unit(actor: User, unit: Unit | int | None) -> int | None:
    """The unit the officer acted for: the one given if they hold a role there, else their only
    unit; None when it cannot be told (an administrator of several units)."""
    units = {u for u, _ in user_roles(actor)}
    wanted = unit.pk if isinstance(unit, Unit) else unit
    if wanted is not None and (wanted in units or not units):
        return wanted
    return next(iter(units)) if len(units) == 1 else wanted


def personal_data_reads(*, actor: User, reads: list[tuple[str, str, str]], action: str,
                        purpose: str, unit: Unit | int | None = None,
                        at: datetime | None = None) -> int:
    """Record at once the reads of many people's data (an export of the register): `reads` are
    (subject number, subject name, reference); rows without a number are left out."""
    at = at or timezone.now()
    unit_id = _acting_unit(actor, unit)
    rows = [PersonalDataAccess(at=at, user=actor, unit_id=unit_id, subject=subject.strip()[:20],
                               subject_name=(name or "")[:255], action=action,
                               reference=(ref or "")[:100], purpose=purpose[:255])
            for subject, name, ref in reads if (subject or "").strip()]
    PersonalDataAccess.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def personal_data_read(*, actor: User, subject: str, action: str, purpose: str,
                       unit: Unit | int | None = None, subject_name: str = "",
                       reference: str = "", outcome: str = "",
                       at: datetime | None = None) -> PersonalDataAccess | None:
    """Record that `actor` read the data of the person or business numbered `subject`.

    Nothing is written for a read without a number (an applicant who gave none) or by the data
    subject themself: the log is of staff reading other people's data.
    """
    subject = (subject or "").strip()
    if not subject or not getattr(actor, "is_authenticated", False):
        return None
    if subject in (actor.personal_id or "", actor.tax_code or "") and not user_roles(actor):
        return None
    return PersonalDataAccess.objects.create(
        at=at or timezone.now(), user=actor, unit_id=_acting_unit(actor, unit),
        subject=subject[:20], subject_name=(subject_name or "")[:255], action=action,
        reference=(reference or "")[:100], purpose=(purpose or "")[:255],
        outcome=(outcome or "")[:100])
