"""Procedure versions over time: which version is in force on a date, and the next version.

A procedure code has one row per version (`Procedure.version`). The row with `is_active` is the
version the public pages show. A version made for a later date (an approved simplification that
takes effect on the day its amending text does, Resolution 68/NQ-CP) sits above it with
`is_active` false and its `effective_from` until `procedure_versions_bring_into_force` switches
the public pages to it; filing does not wait for that switch, because `procedure_version_for`
reads the dates. A dossier keeps the version it was filed under (its variant belongs to that
version), so its deadline and its paper list never move when the catalogue changes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from catalog.models import Fee, Procedure, RequiredDocument, Step, TimeLimit, Variant
from motcua.errors import DomainError


def _version_in_force_pk(code: str, on_date: date) -> int | None:
    """The key of the version of `code` in force on `on_date` (procedure_version_for's rule),
    read from four small columns: filing asks it for every dossier."""
    versions = list(Procedure.objects.filter(code=code).order_by("-version")
                    .values_list("pk", "version", "effective_from", "is_active"))
    public = next((v for v in versions if v[3]), None)
    if public is None:
        return None
    for pk, number, effective_from, _active in versions:
        if number > public[1]:
            if effective_from is not None and effective_from <= on_date:
                return pk
            continue
        if effective_from is None or effective_from <= on_date:
            return pk
    return versions[-1][0]


def procedure_version_for(procedure: Procedure | str, on_date: date) -> Procedure | None:
    """The version of `procedure` (a row or a code) in force on `on_date`.

    Versions up to the public one count from their `effective_from` (none: from the start);
    a version above it counts once its `effective_from` has come. None when the procedure is
    withdrawn (no version is public); the oldest version for a date before every version.
    """
    code = procedure if isinstance(procedure, str) else procedure.code
    pk = _version_in_force_pk(code, on_date)
    return Procedure.objects.filter(pk=pk).first() if pk is not None else None


def _same_variant(variant: Variant, candidates: list[Variant]) -> Variant | None:
    for match in (lambda c: c.order == variant.order and c.name == variant.name,
                  lambda c: c.name == variant.name,
                  lambda c: c.order == variant.order):
        found = [c for c in candidates if match(c)]
        if len(found) == 1:
            return found[0]
    return None


def variant_in_force(variant: Variant, on_date: date) -> Variant | None:
    """The case of the version in force on `on_date` that corresponds to `variant` (same
    position and name), `variant` itself when its version is the one in force; None when the
    procedure is withdrawn or the case no longer exists."""
    pk = _version_in_force_pk(variant.procedure.code, on_date)
    if pk is None:
        return None
    if pk == variant.procedure_id:
        return variant
    return _same_variant(variant, list(Variant.objects.filter(procedure_id=pk)))


def document_counterparts(old: Variant, new: Variant) -> dict[int, int | None]:
    """{paper of `old`: the same paper of `new`, or None when the new version dropped it}."""
    if old.pk == new.pk:
        return {d.pk: d.pk for d in old.documents.all()}
    fresh = list(new.documents.all())
    pairs: dict[int, int | None] = {}
    # One paper for one paper: a case may list the same name twice (in two sections, or twice
    # in one), so the closest match is taken first and leaves the pool.
    for doc in old.documents.all():
        match = _closest_document(doc, fresh)
        if match is not None:
            fresh.remove(match)
        pairs[doc.pk] = match.pk if match else None
    return pairs


def _closest_document(doc: RequiredDocument,
                      pool: list[RequiredDocument]) -> RequiredDocument | None:
    for same in (lambda d: (d.name, d.section, d.order) == (doc.name, doc.section, doc.order),
                 lambda d: (d.name, d.section) == (doc.name, doc.section),
                 lambda d: d.name == doc.name):
        found = [d for d in pool if same(d)]
        if found:
            return found[0]
    return None


# --- Making the next version --------------------------------------------------------------

@dataclass(frozen=True)
class VersionChange:
    """One change an approved decision makes to a procedure, applied to the copy of its latest
    version. `target` names the changed element in the version reviewed; it is found in the
    copy by position and name, since every version has rows of its own."""

    kind: str
    target_id: int | None = None
    value: object = None


REMOVE_DOCUMENT = "remove_document"
SET_TIME_LIMIT = "set_time_limit"
SET_FEE = "set_fee"
REMOVE_FEE = "remove_fee"
SET_LEVEL = "set_level"
REMOVE_STEP = "remove_step"
REPLACE_CONDITION = "replace_condition"


def _clone(row, **changes):
    """A copy of `row` (every concrete field but the key, so fields other apps add to the
    catalogue come along) with `changes` applied, saved."""
    copy = type(row)()
    for field in row._meta.concrete_fields:
        if field.primary_key:
            continue
        setattr(copy, field.attname, getattr(row, field.attname))
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def _copy_procedure(base: Procedure, *, version: int, effective_from: date, note: str
                    ) -> tuple[Procedure, dict[tuple[str, int], object]]:
    """The copy of `base` with all its children; the map (model name, old id) → new row."""
    new = _clone(base, version=version, effective_from=effective_from, is_active=False,
                 change_note=note)
    copies: dict[tuple[str, int], object] = {}
    for basis in base.legal_bases.all():
        _clone(basis, procedure_id=new.pk)
    for variant in base.variants.all():
        new_variant = _clone(variant, procedure_id=new.pk)
        copies[("variant", variant.pk)] = new_variant
        for model, related in ((TimeLimit, "time_limits"), (Fee, "fees"),
                               (RequiredDocument, "documents"), (Step, "steps")):
            for row in getattr(variant, related).all():
                copies[(model.__name__, row.pk)] = _clone(row, variant_id=new_variant.pk)
    return new, copies


def _counterpart(model: type, target_id: int, base: Procedure,
                 copies: dict[tuple[str, int], object]):
    """The row of the new version matching row `target_id` of any earlier version."""
    if (model.__name__, target_id) in copies:
        return copies[(model.__name__, target_id)]
    row = model.objects.select_related("variant").filter(pk=target_id).first()
    if row is None:
        return None
    variant = _same_variant(row.variant, list(base.variants.all()))
    if variant is None:
        return None
    new_variant = copies[("variant", variant.pk)]
    keys: dict[type, Callable] = {
        TimeLimit: lambda r: (r.channel,),
        Fee: lambda r: (r.channel, r.name),
        Step: lambda r: (r.order, r.name),
    }
    candidates = list(model.objects.filter(variant=new_variant))
    if model is RequiredDocument:
        return _closest_document(row, candidates)
    key = keys[model]
    for candidate in candidates:
        if key(candidate) == key(row):
            return candidate
    return None


def _missing(what: str) -> DomainError:
    return DomainError("version_target_missing",
                       f"Không tìm thấy {what} cần thay đổi trong phiên bản mới nhất của thủ tục.",
                       "The element to change is not in the procedure's latest version.")


def _apply(change: VersionChange, new: Procedure, base: Procedure,
           copies: dict[tuple[str, int], object]) -> None:
    if change.kind == SET_LEVEL:
        new.level = str(change.value)
        new.levels = str(change.value)
        fields = ["level", "levels"]
        if new.level == Procedure.Level.COMMUNE and new.competent_unit_id is not None:
            # Decentralised to the communes: the commune that receives a dossier decides it,
            # as for the catalogue's commune-level procedures, which name no competent unit
            # (dossiers/services/intake.py falls back to the receiving unit). Keeping the
            # department here would leave the decentralisation without effect on filing.
            new.competent_unit = None
            fields.append("competent_unit")
        new.save(update_fields=fields)
        return
    if change.kind == REPLACE_CONDITION:
        old_text, new_text = change.value
        if old_text not in new.requirements:
            raise _missing("đoạn điều kiện")
        new.requirements = new.requirements.replace(old_text, new_text).strip()
        new.save(update_fields=["requirements"])
        return
    model = {REMOVE_DOCUMENT: RequiredDocument, SET_TIME_LIMIT: TimeLimit, SET_FEE: Fee,
             REMOVE_FEE: Fee, REMOVE_STEP: Step}[change.kind]
    row = _counterpart(model, change.target_id, base, copies)
    if row is None:
        raise _missing(str(model._meta.verbose_name))
    if change.kind in (REMOVE_DOCUMENT, REMOVE_FEE):
        row.delete()
    elif change.kind == SET_TIME_LIMIT:
        # Every channel of the case with the same limit gets the new one (the online limit the
        # catalogue often repeats); a channel with a limit of its own keeps it.
        TimeLimit.objects.filter(variant_id=row.variant_id, amount=row.amount,
                                 unit=row.unit).update(amount=change.value)
    elif change.kind == SET_FEE:
        row.amount = int(change.value)
        row.save(update_fields=["amount"])
    elif change.kind == REMOVE_STEP:
        _remove_step(row)


def _remove_step(step: Step) -> None:
    """Drop a processing step; the others share its time in proportion to their own."""
    rest = list(Step.objects.filter(variant_id=step.variant_id).exclude(pk=step.pk)
                .order_by("order"))
    step.delete()
    total = sum(s.share_percent for s in rest)
    for i, s in enumerate(rest, start=1):
        if total:
            s.share_percent = round(s.share_percent * 100 / total, 2)
        s.order = 10000 + i  # out of the way of the unique (variant, order) while renumbering
        s.save(update_fields=["share_percent", "order"])
    for i, s in enumerate(rest, start=1):
        s.order = i
        s.save(update_fields=["order"])


@transaction.atomic
def procedure_version_create(*, code: str, effective_from: date, changes: list[VersionChange],
                             note: str, today: date) -> Procedure:
    """The next version of procedure `code`, in force from `effective_from`, made from its
    latest version with `changes` applied (papers removed, time limit shortened, fee changed,
    level changed…). It becomes the public version at once when the date has come, else on
    that date (`procedure_versions_bring_into_force`).

    A later version already made for the same date and not yet filed under takes the changes
    instead of a version of its own, so two provisions approved by one decision give one
    version. A date before the latest version's is refused: versions follow each other.
    """
    versions = list(Procedure.objects.select_for_update().filter(code=code).order_by("-version"))
    if not versions:
        raise DomainError("not_found", "Không có thủ tục này trong danh mục.",
                          "No such procedure.")
    latest = versions[0]
    if latest.effective_from and effective_from < latest.effective_from:
        raise DomainError(
            "version_date_order",
            f"Ngày có hiệu lực phải từ {latest.effective_from:%d/%m/%Y} trở đi "
            f"(ngày của phiên bản {latest.version}).",
            "The effective date must not precede the latest version's.",
            fields={"effective_date": ["Ngày có hiệu lực sớm hơn phiên bản mới nhất."]})
    if (latest.effective_from == effective_from and latest.change_note
            and not latest.is_active and effective_from > today):
        # Not in force before its date: no dossier can have been filed under it yet.
        new, base, copies = latest, latest, {}
        for variant in latest.variants.all():
            copies[("variant", variant.pk)] = variant
        new.change_note = f"{latest.change_note}\n{note}".strip()
        new.save(update_fields=["change_note"])
    else:
        base = latest
        new, copies = _copy_procedure(base, version=latest.version + 1,
                                      effective_from=effective_from, note=note)
    for change in changes:
        _apply(change, new, base, copies)
    from catalog.services import procedure_set_search_text

    procedure_set_search_text(new)
    new.save(update_fields=["search_text", "search_body", "updated_at"])
    procedure_versions_bring_into_force(today=today, codes=[code])
    new.refresh_from_db()
    return new


@transaction.atomic
def procedure_versions_bring_into_force(*, today: date, codes: list[str] | None = None) -> int:
    """Make public every version whose date has come and that stands above the public one of
    its code (the older public version retires and stays for its dossiers); how many.

    Run daily (`manage.py catalog_versions_due`); filing already uses a version from its date.
    """
    due = Procedure.objects.filter(is_active=False, effective_from__lte=today)
    if codes is not None:
        due = due.filter(code__in=codes)
    switched = 0
    for code in sorted(set(due.values_list("code", flat=True))):
        versions = list(Procedure.objects.select_for_update().filter(code=code)
                        .order_by("-version"))
        public = next((v for v in versions if v.is_active), None)
        if public is None:
            continue  # withdrawn: a later version does not bring it back by itself
        coming = next((v for v in versions if v.version > public.version
                       and v.effective_from and v.effective_from <= today), None)
        if coming is None:
            continue
        # `updated_at` moves too: the search index notices a changed catalogue by it.
        now = timezone.now()
        Procedure.objects.filter(code=code, is_active=True).update(is_active=False,
                                                                   updated_at=now)
        Procedure.objects.filter(pk=coming.pk).update(is_active=True, updated_at=now)
        switched += 1
    return switched


def procedure_versions(code: str) -> list[tuple[int, int]]:
    """(id, version number) of every version of `code`, oldest first."""
    return list(Procedure.objects.filter(code=code).order_by("version")
                .values_list("pk", "version"))
