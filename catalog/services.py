"""Writing to the procedure catalog: search text, fields, and new procedure versions."""

import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from catalog.models import (
    Fee,
    Field,
    LegalBasis,
    Procedure,
    RequiredDocument,
    TimeLimit,
    Variant,
)
from catalog.parsing.record import ParsedProcedure
from catalog.text import fold_words
from catalog.versions import (  # noqa: F401  (written by regulations through here)
    REMOVE_DOCUMENT,
    REMOVE_FEE,
    REMOVE_STEP,
    REPLACE_CONDITION,
    SET_FEE,
    SET_LEVEL,
    SET_TIME_LIMIT,
    VersionChange,
    procedure_version_create,
    procedure_versions_bring_into_force,
)

CREATED = "created"
NEW_VERSION = "new_version"
UNCHANGED = "unchanged"
REPARSED = "reparsed"
# Raised when what the parser reads from the national text changes (catalog/parsing/): a record
# whose text did not change is then read again and its rows updated in place (no new version,
# so dossiers keep pointing at the same procedure, cases and papers).
PARSER_VERSION = "2026.12-paper-cases"  # fits parsed_with (20 characters)


@dataclass(frozen=True)
class ProcedureImport:
    """One parsed national record, ready to be stored."""

    parsed: ParsedProcedure
    record: dict
    digest: str
    field: Field | None


def procedure_set_search_text(procedure: Procedure) -> None:
    """Fill `search_text` (the name) and `search_body` (the rest a citizen may type).

    Every code path that saves a procedure calls this. The body holds what a citizen might
    search for besides the name: the field, the agencies, the result, the conditions and the
    steps; matches there rank below name matches (catalog/search.py).
    """
    procedure.search_text = fold_words(procedure.name)
    field = procedure.field.name if procedure.field_id else ""
    procedure.search_body = fold_words(" ".join([
        field, procedure.competent_authority, procedure.implementing_agency,
        procedure.result_text, procedure.requirements, procedure.steps_text,
    ]))


def field_get_or_create(*, name: str, cache: dict[str, Field] | None = None) -> Field | None:
    name = name.strip()
    if not name:
        return None
    if cache is not None and name in cache:
        return cache[name]
    field, _ = Field.objects.get_or_create(name=name)
    if cache is not None:
        cache[name] = field
    return field


def procedure_import_version(*, item: ProcedureImport) -> str:
    """Store one record as the version in force of its procedure, in its own transaction."""
    return procedures_import_versions(items=[item])[0]


@transaction.atomic
def procedures_import_versions(*, items: list[ProcedureImport]) -> list[str]:
    """Store records as the versions in force of their procedures; one outcome per item.

    The same content (same digest) as the version in force changes nothing. Changed content
    gets a new row with the next version number and retires the old one, which stays for the
    dossiers pinned to it. Each item's rows are written together or not at all, because the
    whole call is one transaction; codes must be distinct. The existing rows of the codes are
    locked in primary-key order, so two imports of the same file wait for each other instead
    of both creating "version 2" or deadlocking.
    """
    codes = [item.parsed.code for item in items]
    if len(set(codes)) != len(codes):
        raise ValueError("Mỗi mã thủ tục chỉ được xuất hiện một lần trong một lượt ghi.")
    existing: dict[str, list[Procedure]] = {}
    for procedure in (Procedure.objects.select_for_update().filter(code__in=codes)
                      .only("pk", "code", "version", "is_active", "source_hash",
                            "competent_unit_id").order_by("pk")):
        existing.setdefault(procedure.code, []).append(procedure)
    outcomes, fresh, retire = [], [], []
    for item in items:
        versions = existing.get(item.parsed.code, [])
        active = next((p for p in versions if p.is_active), None)
        if active is not None and active.source_hash == item.digest:
            outcomes.append(UNCHANGED)
            continue
        if active is not None:
            retire.append(active.pk)
        version = max((p.version for p in versions), default=0) + 1
        outcomes.append(NEW_VERSION if version > 1 else CREATED)
        fresh.append((item, _procedure(item, version, active)))
    if retire:
        Procedure.objects.filter(pk__in=retire).update(is_active=False)
    stored = Procedure.objects.bulk_create([procedure for _, procedure in fresh])
    _store_children([(item.parsed, procedure) for (item, _), procedure in zip(fresh, stored,
                                                                                 strict=True)])
    return outcomes


def _procedure(item: ProcedureImport, version: int, active: Procedure | None) -> Procedure:
    parsed = item.parsed
    procedure = Procedure(
        code=parsed.code,
        version=version,
        is_active=True,
        name=parsed.name,
        field=item.field,
        level=parsed.level,
        levels=" ".join(parsed.levels),
        procedure_type=parsed.procedure_type,
        applicant_types=parsed.applicant_types,
        competent_authority=parsed.competent_authority,
        implementing_agency=parsed.implementing_agency,
        coordinating_agencies=parsed.coordinating_agencies,
        # A new version keeps the unit a province assigned to the old one.
        competent_unit_id=active.competent_unit_id if active else None,
        online_level=parsed.online_level,
        steps_text=parsed.steps_text,
        requirements=parsed.requirements,
        result_text=parsed.result_text,
        result_codes=parsed.result_codes,
        submission_address=parsed.submission_address,
        decision_number=parsed.decision_number,
        source_url=parsed.source_url,
        source_record=item.record,
        source_hash=item.digest,
        parsed_with=PARSER_VERSION,
        parse_issues=[issue.as_dict() for issue in parsed.issues],
    )
    procedure_set_search_text(procedure)
    return procedure


# What a re-read rewrites: the text read from the record, never what an officer assigned.
_REREAD_FIELDS = ("name", "level", "levels", "procedure_type", "applicant_types",
                  "competent_authority", "implementing_agency", "coordinating_agencies",
                  "online_level", "steps_text", "requirements", "result_text", "result_codes",
                  "submission_address", "decision_number", "source_url", "parse_issues",
                  "parsed_with")
_PAPER_FIELDS = ("name", "copy_kind", "count", "template_name", "template_url", "optional",
                 "section", "alternative_group", "condition", "lookup", "choices")


@transaction.atomic
def procedures_reread(*, items: list[ProcedureImport]) -> list[str]:
    """Read unchanged records again with this parser, updating their rows in place.

    The procedure's text fields are rewritten; its papers are updated row by row when the new
    reading has the same cases and the same number of papers in each (the rows dossiers point
    to stay the same), and left as they were otherwise (the outcome is then UNCHANGED and the
    next changed record makes a new version). Idempotent: a second run finds them current.
    """
    by_code = {item.parsed.code: item for item in items}
    outcomes = []
    active = {p.code: p for p in Procedure.objects.select_for_update()
              .filter(code__in=by_code, is_active=True).order_by("pk")}
    for code, item in by_code.items():
        procedure = active.get(code)
        if procedure is None or procedure.source_hash != item.digest:
            outcomes.append(UNCHANGED)
            continue
        fresh = _procedure(item, procedure.version, procedure)
        for name in _REREAD_FIELDS:
            setattr(procedure, name, getattr(fresh, name))
        procedure_set_search_text(procedure)
        procedure.save(update_fields=[*_REREAD_FIELDS, "search_text", "search_body",
                                      "updated_at"])
        _reread_papers(procedure, item.parsed)
        outcomes.append(REPARSED)
    return outcomes


def _reread_papers(procedure: Procedure, parsed: ParsedProcedure) -> None:
    variants = list(procedure.variants.order_by("order", "pk"))
    if len(variants) != len(parsed.variants):
        return
    changed = []
    for variant, spec in zip(variants, parsed.variants, strict=True):
        rows = list(variant.documents.order_by("order", "pk"))
        if len(rows) != len(spec.documents):
            continue
        for row, (doc, section) in zip(rows, spec.documents, strict=True):
            values = {"name": doc.name, "copy_kind": doc.copy_kind, "count": doc.count,
                      "template_name": doc.template_name, "template_url": doc.template_url,
                      "optional": doc.optional, "section": section,
                      "alternative_group": doc.group, "condition": doc.condition,
                      "lookup": doc.lookup, "choices": list(doc.choices)}
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    RequiredDocument.objects.bulk_update(changed, list(_PAPER_FIELDS), batch_size=500)


def _store_children(pairs: list[tuple[ParsedProcedure, Procedure]]) -> None:
    bases, variant_specs, variants = [], [], []
    for parsed, procedure in pairs:
        bases += [LegalBasis(procedure=procedure, number=b.number, title=b.title, order=i)
                  for i, b in enumerate(parsed.legal_bases)]
        for i, spec in enumerate(parsed.variants):
            variant_specs.append(spec)
            variants.append(Variant(procedure=procedure, name=spec.name, order=i,
                                    notes=spec.notes))
    LegalBasis.objects.bulk_create(bases)
    variants = Variant.objects.bulk_create(variants)
    limits, fees, documents = [], [], []
    for variant, spec in zip(variants, variant_specs, strict=True):
        limits += [TimeLimit(variant=variant, channel=t.channel, amount=t.amount, unit=t.unit,
                             description=t.description, inferred=t.inferred)
                   for t in spec.time_limits]
        fees += [Fee(variant=variant, channel=f.channel, name=f.name, amount=f.amount,
                     description=f.description) for f in spec.fees]
        documents += [RequiredDocument(variant=variant, name=d.name, copy_kind=d.copy_kind,
                                       count=d.count, template_name=d.template_name,
                                       optional=d.optional, section=section, order=i,
                                       alternative_group=d.group, condition=d.condition,
                                       lookup=d.lookup, choices=list(d.choices),
                                       template_url=d.template_url)
                      for i, (d, section) in enumerate(spec.documents)]
    TimeLimit.objects.bulk_create(limits)
    Fee.objects.bulk_create(fees)
    RequiredDocument.objects.bulk_create(documents)


def search_lexicon_load(*, replace: bool = False) -> tuple[int, int]:
    """Load the shipped thesaurus and life events (catalog/data/); (lines, events) added.

    Entries an administrator already has (same phrase, same event name) are kept as edited
    unless `replace`, which puts the shipped wording back.
    """
    import json
    from pathlib import Path

    from catalog.models import LifeEvent, SearchSynonym

    data = Path(__file__).resolve().parent / "data"
    with open(data / "thesaurus.json", encoding="utf-8") as f:
        entries = json.load(f)["entries"]
    with open(data / "life_events.json", encoding="utf-8") as f:
        events = json.load(f)["events"]
    added = [0, 0]
    with transaction.atomic():
        for e in entries:
            values = {"official": "\n".join(e["official"]), "kind": e["kind"],
                      "both_ways": e["both_ways"], "note": e["note"]}
            existing = SearchSynonym.objects.filter(phrase=e["phrase"]).first()
            if existing is None:
                SearchSynonym.objects.create(phrase=e["phrase"], **values)
                added[0] += 1
            elif replace:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
        for i, e in enumerate(events):
            values = {"description": e["description"], "phrases": "\n".join(e["phrases"]),
                      "procedure_codes": "\n".join(e["codes"]), "order": i}
            existing = LifeEvent.objects.filter(name=e["name"]).first()
            if existing is None:
                LifeEvent.objects.create(name=e["name"], **values)
                added[1] += 1
            elif replace:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
    return added[0], added[1]


# A run of four digits or more is a phone, identity, tax or dossier number, and a word with "@"
# an e-mail address: personal data that the log of unmatched searches must not keep (Decree
# 13/2023/NĐ-CP on personal data protection, art. 2: a number identifying a person is personal
# data). Only the words that say what was looked for are kept.
_PERSONAL = re.compile(r"\S*@\S*|\S*\d{4,}\S*")
_LOG_WORD = re.compile(r"[0-9a-z]+")


def unmatched_search_text(query: str) -> str:
    """The query as the log keeps it: folded, personal numbers and addresses left out."""
    from catalog.search import MAX_QUERY_CHARS
    from catalog.text import fold

    text = _PERSONAL.sub(" ", fold(query[:MAX_QUERY_CHARS]))
    return " ".join(_LOG_WORD.findall(text))[:MAX_QUERY_CHARS]


def unmatched_search_record(*, query: str, day: date | None = None) -> None:
    """Count one search with no good match for `day` (today). One statement, an upsert, so
    that the search stays fast; a query left empty once personal data is removed is not kept."""
    from django.db import connection

    from catalog.models import UnmatchedSearch

    text = unmatched_search_text(query)
    if not text:
        return
    table = connection.ops.quote_name(UnmatchedSearch._meta.db_table)
    with connection.cursor() as cursor:
        # INSERT … ON CONFLICT DO UPDATE: SQLite ≥ 3.24 and PostgreSQL ≥ 9.5 both have it.
        cursor.execute(
            f"INSERT INTO {table} (day, query, count) VALUES (%s, %s, 1) "
            f"ON CONFLICT (day, query) DO UPDATE SET count = {table}.count + 1",
            [day or timezone.localdate(), text])


UNMATCHED_KEPT_DAYS = 365


def unmatched_searches_prune(*, days: int = UNMATCHED_KEPT_DAYS, today: date | None = None) -> int:
    """Delete the log's days older than `days` (a year by default: enough to see the words of
    every season, no more than the thesaurus needs); the number of rows deleted."""
    from datetime import timedelta

    from catalog.models import UnmatchedSearch

    since = (today or timezone.localdate()) - timedelta(days=days)
    deleted, _ = UnmatchedSearch.objects.filter(day__lt=since).delete()
    return deleted
