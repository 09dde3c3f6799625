"""Which published papers this applicant must hand in (the desk's and the online checklist).

The catalogue marks how its papers relate (catalog/parsing/papers.py): a one-of group
(`alternative_group`), the case a paper is needed in (`condition`), data the agency looks up
instead of asking for it (`lookup`). Here the officer's answers for one applicant are applied:

- a one-of group is satisfied by any one of its papers;
- a conditional paper is asked only when the officer ticks that its case applies (ticking it
  received says as much);
- the officer may mark a paper NOT APPLICABLE to this applicant, with a reason, kept in the
  dossier's event log ("papers_checked"): the one-stop decree (Decree 118/2025/NĐ-CP, which
  replaced Decree 61/2018/NĐ-CP) forbids asking for papers outside the published list, and a
  paper of the list the law does not ask of this person is outside it (domain.md §3);
- a paper whose data the state holds is looked up, never demanded (Decree 45/2020/NĐ-CP on
  procedures on the electronic environment, domain.md §10; Decree 104/2022/NĐ-CP for residence
  papers): the population database through sync.population (logged as a read of personal
  data), earlier results through the data store of results/. A lookup that
  finds nothing leaves the paper to be handed in, and says why.
"""

from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from catalog.models import RequiredDocument
from dossiers.models import Dossier
from motcua import inputs
from motcua.errors import DomainError

EVENT = "papers_checked"
LOOKUP_PURPOSE = "Khai thác dữ liệu thay cho giấy tờ khi tiếp nhận hồ sơ"
NOTE_PREFIXES = ("lưu ý", "ghi chú", "chú ý")


@dataclass
class PaperChecks:
    """The officer's answers about the papers of one applicant."""

    applies: set[int] = field(default_factory=set)
    not_applicable: dict[int, str] = field(default_factory=dict)
    lookups: set[int] = field(default_factory=set)
    # Filled by `paper_lookups_run`: what each lookup found, by required-document id.
    looked_up: dict[int, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.applies or self.not_applicable or self.lookups)


def is_note(doc: RequiredDocument) -> bool:
    """A remark of the published list ("Lưu ý: …"), never a paper to hand in."""
    return doc.name.strip().lower().startswith(NOTE_PREFIXES)


def _ids(raw: Any) -> set[int]:
    if not isinstance(raw, list | tuple | set):
        return set()
    return {pk for pk in map(inputs.id_parse, raw) if pk is not None}


def paper_checks_parse(raw: dict[str, Any] | None,
                       required: dict[int, RequiredDocument]) -> PaperChecks:
    """Validate {"applies": [ids], "not_applicable": {id: reason}, "lookups": [ids]}.

    Every id must be a paper of the chosen case; a paper marked not applicable needs a reason.
    Errors name the paper: "papers[<id>].reason".
    """
    raw = raw or {}
    errors: dict[str, list[str]] = {}
    checks = PaperChecks(applies=_ids(raw.get("applies")), lookups=_ids(raw.get("lookups")))
    marked = raw.get("not_applicable") or {}
    if not isinstance(marked, dict):
        errors["papers.not_applicable"] = ["Phải là danh sách giấy tờ kèm lý do."]
        marked = {}
    for key, reason in marked.items():
        pk = inputs.id_parse(key)
        if pk is None or pk not in required:
            errors[f"papers[{key}].not_applicable"] = [
                "Giấy tờ này không thuộc thành phần hồ sơ của trường hợp đã chọn."]
            continue
        text = inputs.input_clean(str(reason or ""), inputs.REASON.kind)
        problem = inputs.input_problem(text, inputs.REASON)
        if not text:
            errors[f"papers[{pk}].reason"] = [
                f"Cần ghi lý do giấy tờ «{required[pk].name[:80]}» không áp dụng."]
        elif problem is not None:
            errors[f"papers[{pk}].reason"] = [problem.message]
        else:
            checks.not_applicable[pk] = text
    for pk in checks.applies | checks.lookups:
        if pk not in required:
            errors[f"papers[{pk}]"] = [
                "Giấy tờ này không thuộc thành phần hồ sơ của trường hợp đã chọn."]
    for pk in checks.lookups:
        if pk in required and not required[pk].lookup:
            errors[f"papers[{pk}].lookup"] = ["Danh mục không ghi giấy tờ này được khai thác "
                                              "từ cơ sở dữ liệu."]
    if errors:
        raise DomainError("invalid", "Thông tin về thành phần hồ sơ chưa hợp lệ.",
                          "The answers about the papers are invalid.", fields=errors)
    return checks


def papers_translate(raw: dict[str, Any], pairs: dict[int, int | None]) -> dict[str, Any]:
    """The answers given on the form's case, moved to the version in force (catalog/versions.py):
    each paper to its counterpart; an answer about a paper the new version dropped is dropped."""
    def moved(pk: Any) -> int | None:
        key = inputs.id_parse(pk)
        return pairs.get(key, key) if key is not None else None

    not_applicable = raw.get("not_applicable") or {}
    return {
        "applies": [m for m in map(moved, raw.get("applies") or []) if m is not None],
        "lookups": [m for m in map(moved, raw.get("lookups") or []) if m is not None],
        "not_applicable": {str(m): reason for pk, reason in (
            not_applicable.items() if isinstance(not_applicable, dict) else [])
            if (m := moved(pk)) is not None},
    }


def _label(docs: list[RequiredDocument]) -> str:
    names = [d.name for d in docs]
    return names[0] if len(names) == 1 else "một trong: " + " / ".join(names)


def papers_missing(documents: list[RequiredDocument], given: set[int],
                   checks: PaperChecks | None = None) -> list[str]:
    """The papers still demanded of this applicant (a one-of group once, as "một trong: …")."""
    checks = checks or PaperChecks()
    satisfied = set(given) | set(checks.looked_up)
    papers = [d for d in documents if not is_note(d)]
    groups: dict[str, list[RequiredDocument]] = {}
    for d in papers:
        if d.alternative_group:
            groups.setdefault(d.alternative_group, []).append(d)

    def demanded(d: RequiredDocument) -> bool:
        if d.optional or d.pk in checks.not_applicable:
            return False
        if d.lookup and d.pk not in checks.lookups and d.pk not in given:
            # Never demanded: the state holds it. Unless the officer ran the lookup and it
            # found nothing (then `looked_up` lacks it and the paper is asked for below).
            return False
        if d.condition:
            members = groups.get(d.alternative_group, [d]) if d.alternative_group else [d]
            return any(m.pk in checks.applies or m.pk in given for m in members)
        return True

    missing: list[str] = []
    done_groups: set[str] = set()
    for d in papers:
        if d.alternative_group:
            group = d.alternative_group
            if group in done_groups:
                continue
            done_groups.add(group)
            members = groups[group]
            if any(m.pk in satisfied for m in members):
                continue
            open_members = [m for m in members if demanded(m)]
            if open_members:
                missing.append(_label(open_members))
            continue
        if d.pk in satisfied or not demanded(d):
            continue
        missing.append(d.name)
    return missing


def _population_lookup(actor: User, owner_id: str) -> str:
    try:
        from sync.population import citizen_lookup  # the adapter sits above dossiers
    except ImportError:
        raise DomainError("lookup_unavailable", "Hệ thống chưa kết nối CSDL quốc gia về dân cư.",
                          "The population database is not connected.") from None
    citizen = citizen_lookup(actor=actor, personal_id=owner_id, purpose=LOOKUP_PURPOSE)
    return f"CSDL quốc gia về dân cư: {citizen.full_name}"


def _store_lookup(owner_id: str, doc: RequiredDocument) -> str:
    try:
        from results.selectors import reusable_for  # the data store builds on dossiers
    except ImportError:
        raise DomainError("lookup_unavailable", "Hệ thống chưa có kho dữ liệu điện tử.",
                          "The data store is not installed.") from None
    found = reusable_for(owner_id, doc)
    if not found:
        raise DomainError("not_found", "Không có giấy tờ này trong kho dữ liệu điện tử của "
                          "người nộp.", "Not in the applicant's data store.")
    from results.numbering import result_numbered

    # A result approved unnumbered is numbered before it is named (results/numbering.py).
    stored = result_numbered(found[0])
    return f"Kho dữ liệu: {stored.title} {stored.document_number}".strip()


def paper_lookups_run(*, actor: User, required: dict[int, RequiredDocument],
                      checks: PaperChecks, owner_id: str) -> None:
    """Look up each paper the officer chose to look up; a failed lookup is kept as a reason
    the paper must be handed in (it stays out of `checks.looked_up`)."""
    errors: dict[str, list[str]] = {}
    for pk in sorted(checks.lookups):
        doc = required[pk]
        if not owner_id:
            errors[f"papers[{pk}].lookup"] = [
                "Cần số định danh của chủ hồ sơ để tra cứu thay cho giấy tờ."]
            continue
        try:
            if doc.lookup == RequiredDocument.Lookup.POPULATION:
                checks.looked_up[pk] = _population_lookup(actor, owner_id)
            else:
                checks.looked_up[pk] = _store_lookup(owner_id, doc)
        except DomainError as err:
            errors[f"papers[{pk}].lookup"] = [
                f"Không tra cứu được ({err.message.rstrip('.')}): cần nộp giấy tờ hoặc bỏ "
                "chọn tra cứu."]
    if errors:
        raise DomainError("lookup_failed", "Không tra cứu được dữ liệu thay cho giấy tờ: "
                          + "; ".join(required[int(k[7:k.index("]")])].name[:80]
                                      for k in errors) + ".",
                          "A lookup in place of a paper failed.", fields=errors)


def papers_event_fields(*, required: dict[int, RequiredDocument],
                        checks: PaperChecks) -> tuple[str, dict[str, Any]] | None:
    """The reason and data of the event that keeps the officer's answers about the papers in
    the log (append-only), written in the filing transaction; None when there is nothing."""
    if checks.empty:
        return None
    data = {
        "applies": [{"required_document": pk, "name": required[pk].name,
                     "condition": required[pk].condition} for pk in sorted(checks.applies)],
        "not_applicable": [{"required_document": pk, "name": required[pk].name,
                            "reason": reason}
                           for pk, reason in sorted(checks.not_applicable.items())],
        "looked_up": [{"required_document": pk, "name": required[pk].name,
                       "source": required[pk].lookup, "found": found}
                      for pk, found in sorted(checks.looked_up.items())],
    }
    reason = "; ".join(f"Không áp dụng: {item['name'][:120]} — {item['reason']}"
                       for item in data["not_applicable"])
    return reason, data


def dossier_paper_checks(*, dossier: Dossier,
                         events: list | None = None) -> dict[str, list[dict[str, Any]]]:
    """What the desk recorded about the papers (for Form 01 and the checklist); from `events`
    when the caller has read them already (the dossier page)."""
    if events is not None:
        found = [e for e in events if e.action == EVENT]
        event = max(found, key=lambda e: e.seq) if found else None
    else:
        event = dossier.events.filter(action=EVENT).order_by("-seq").first()
    data = event.data if event else {}
    return {key: list(data.get(key) or []) for key in ("applies", "not_applicable", "looked_up")}
