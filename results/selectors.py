"""Reading the data store: shared by the pages, the API and the online-submission form."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.selectors import proven_ids, user_is_staff_member
from catalog.models import RequiredDocument
from catalog.text import fold
from dossiers.deadlines import TZ
from dossiers.models import Dossier
from dossiers.selectors import dossier_visible
from results.models import StoredDocument


def user_owner_ids(user: User) -> set[str]:
    """The owner identifiers an account stands for: its personal ID, and a business account's
    enterprise code — only once proven by VNeID or a desk officer (accounts.selectors
    .proven_ids). A number typed at sign-up opens nobody's store (issue #17)."""
    return set(proven_ids(user))


def store_for_owner(*, user: User) -> QuerySet[StoredDocument]:
    """“Kho dữ liệu của tôi”: every document whose owner is the logged-in person."""
    ids = user_owner_ids(user)
    if not ids:
        return StoredDocument.objects.none()
    return StoredDocument.objects.filter(owner_id_number__in=ids).select_related("issuer_unit")


def stored_visible(user: User) -> QuerySet[StoredDocument]:
    """Row-level rule: the owner sees all of theirs; the staff handling a dossier what it
    produced or reuses; the applicant who filed a dossier what it produced (its result).

    What a dossier reuses opens to staff only (issue #17): the desk may use the stored paper
    of the owner a dossier names — a read of theirs, logged — but an account that merely typed
    that owner's number must not download it through the reuse; a citizen opens another
    person's stored paper only through their proven identity (`user_owner_ids`)."""
    if not getattr(user, "is_authenticated", False):
        return StoredDocument.objects.none()
    dossiers = dossier_visible(user).values("pk")
    rule = Q(dossier__in=dossiers)
    if user_is_staff_member(user):
        rule |= Q(reuses__dossier_document__dossier__in=dossiers)
    ids = user_owner_ids(user)
    if ids:
        rule |= Q(owner_id_number__in=ids)
    return StoredDocument.objects.filter(rule).select_related("issuer_unit").distinct()


def stored_get(*, user: User, uid: str) -> StoredDocument:
    found = stored_visible(user).filter(uid=uid).first()
    if found is None:
        raise Http404("Không tìm thấy giấy tờ.")
    return found


def stored_by_uid(uid: str) -> StoredDocument | None:
    """For the public verification page: the registry entry the QR code names, if any."""
    return StoredDocument.objects.select_related("issuer_unit").filter(uid=uid).first()


def dossier_results(*, dossier: Dossier) -> list[StoredDocument]:
    """The results a dossier produced (newest first); the caller has already checked access."""
    return dossier_stored(dossier=dossier, kinds=[StoredDocument.Kind.RESULT])


def dossier_stored(*, dossier: Dossier, kinds: list[str]) -> list[StoredDocument]:
    """The stored documents of `kinds` a dossier produced (newest first), in one read: the
    dossier page's results panel takes its results and its digitised papers from it."""
    return list(dossier.stored_documents.filter(kind__in=kinds).select_related("issuer_unit"))


def _matches(stored: StoredDocument, wanted: str) -> bool:
    if stored.result_code and stored.result_code.lower() in wanted.lower():
        return True
    title = fold(stored.title).strip()
    return bool(title) and title in fold(wanted)


def reusable_for(owner_id: str, required_document: RequiredDocument | str,
                 *, on: date | None = None) -> list[StoredDocument]:
    """Stored documents of `owner_id` that can stand in for `required_document` today.

    A document matches when the required paper's name contains the stored title (compared
    without diacritics: 'Bản sao Giấy khai sinh' is met by a stored 'Giấy khai sinh') or names its
    result code. Expired documents are left out. For the online-submission form: offer these
    instead of an upload, then call `results.services.stored_document_reuse`.
    """
    if not owner_id:
        return []
    wanted = required_document if isinstance(required_document, str) else \
        required_document.name
    today = on or timezone.now().astimezone(TZ).date()
    candidates = (StoredDocument.objects.filter(owner_id_number=owner_id)
                  .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
                  .select_related("issuer_unit"))
    return [s for s in candidates if _matches(s, wanted)]

