"""Reading the procedure catalog: search, one procedure, a variant's limit and fees per channel."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from catalog.models import Channel, Fee, Field, Procedure, RequiredDocument, TimeLimit, Variant
from catalog.search import MAX_QUERY_CHARS, find, in_order, is_code, procedures_search
from catalog.search.lexicon import Event
from catalog.search.popularity import procedure_prior
from catalog.search.tokens import words
from catalog.versions import (  # noqa: F401  (read by dossiers and regulations from here)
    document_counterparts,
    procedure_version_for,
    procedure_versions,
    variant_in_force,
)
from motcua.prepared import related_rows


@dataclass
class SearchOutcome:
    """What a search page shows: the ranked procedures, and help when the match is poor."""

    procedures: QuerySet[Procedure]
    query: str
    too_long: bool = False
    good: bool = True
    # Life events the query describes, or the closest ones when nothing matches well.
    events: list[dict] = field(default_factory=list)
    # The installation's most used procedures, offered when nothing matches well.
    popular: list[Procedure] = field(default_factory=list)


POPULAR_SHOWN = 8
# A list shows names, codes and a few facts; the full record and long texts stay unread.
LIST_DEFERRED = ("source_record", "parse_issues", "steps_text", "requirements", "result_text",
                 "search_text", "search_body", "submission_address", "coordinating_agencies",
                 "implementing_agency", "result_codes")
EVENTS_SHOWN = 4


def procedure_search(*, query: str, with_help: bool = True, **filters) -> SearchOutcome:
    """`procedure_list` for a typed query, with what the page needs when it matches poorly:
    never an empty page (docs/search.md, "Never an empty page"). `with_help=False` (the API)
    leaves out the life events and most used procedures offered then."""
    query = query.strip()
    too_long = len(query) > MAX_QUERY_CHARS
    query = query[:MAX_QUERY_CHARS]
    if not words(query) or is_code(query):
        return SearchOutcome(procedures=procedure_list(query=query, **filters), query=query,
                             too_long=too_long)
    qs, narrowed = _filtered(**filters)
    found = find(query, active_only=not narrowed,
                 within=qs.values_list("pk", flat=True) if narrowed else None)
    outcome = SearchOutcome(procedures=in_order(found.pks).defer(*LIST_DEFERRED),
                            query=query, too_long=too_long,
                            good=found.good and bool(found.pks))
    if not with_help:
        return outcome
    events = found.events or (_closest_events(query) if not outcome.good else [])
    outcome.events = [_event_view(e) for e in events[:EVENTS_SHOWN]]
    if not outcome.good:
        outcome.popular = procedures_popular(limit=POPULAR_SHOWN)
    return outcome


def _closest_events(query: str) -> list[Event]:
    from catalog.search import current_lexicon, signatures

    typed = set(words(query))
    lexicon = current_lexicon(signatures()[1])
    scored = [(len(typed & e.words) / len(e.words), e) for e in lexicon.events if e.words]
    return [e for score, e in sorted(scored, key=lambda x: -x[0]) if score > 0]


def _event_view(event: Event) -> dict:
    in_force = {p.code: p for p in Procedure.objects.filter(code__in=event.codes, is_active=True)}
    return {"name": event.name, "description": event.description,
            "procedures": [in_force[c] for c in event.codes if c in in_force]}


def procedures_popular(*, limit: int = POPULAR_SHOWN) -> list[Procedure]:
    """The procedures in force this installation files most (the shipped prior before it has
    dossiers of its own)."""
    prior = procedure_prior()
    codes = sorted(prior, key=lambda c: -prior[c])[:limit * 2]
    in_force = {p.code: p for p in Procedure.objects.filter(code__in=codes, is_active=True)
                .select_related("field")}
    return [in_force[c] for c in codes if c in in_force][:limit]


def procedure_list(*, query: str = "", **filters) -> QuerySet[Procedure]:
    """Procedures matching the filters and `query`, best match first (catalog/search/).

    Without a query they come in code order. Filters (keyword-only): `field_id`; `level`
    matches any of the levels a procedure is carried out at; `online_level`;
    `competent_unit_id`; `authority`, the competent authority as the national catalog names it;
    `applicant_type`, one of the applicant types it lists; `active_only` (default true).
    """
    qs, narrowed = _filtered(**filters)
    found = procedures_search(qs.order_by("code", "-version"), query, narrowed=narrowed)
    return found.defer(*LIST_DEFERRED)


def _filtered(
    *,
    field_id: int | None = None,
    level: str | None = None,
    online_level: str | None = None,
    competent_unit_id: int | None = None,
    authority: str | None = None,
    applicant_type: str | None = None,
    active_only: bool = True,
) -> tuple[QuerySet[Procedure], bool]:
    """The filtered procedures, and whether anything narrows them below all those in force."""
    qs = Procedure.objects.all()
    narrowed = any([field_id, level, online_level, competent_unit_id, authority,
                    applicant_type]) or not active_only
    if active_only:
        qs = qs.filter(is_active=True)
    if field_id:
        qs = qs.filter(field_id=field_id)
    if level:
        if level not in Procedure.Level.values:
            # No procedure is carried out at a level outside the four, and the value typed in
            # a URL must not reach a LIKE pattern: SQLite refuses one over 50,000 bytes.
            return qs.none(), True
        # Rows entered by hand may have only `level`.
        qs = qs.filter(Q(levels__contains=level) | Q(level=level))
    if online_level:
        qs = qs.filter(online_level=online_level)
    if competent_unit_id:
        qs = qs.filter(competent_unit_id=competent_unit_id)
    if authority:
        qs = qs.filter(competent_authority=authority)
    if applicant_type:
        qs = _with_applicant_type(qs, applicant_type)
    return qs, narrowed


def _with_applicant_type(qs: QuerySet[Procedure], applicant_type: str) -> QuerySet[Procedure]:
    if connection.features.supports_json_field_contains:
        return qs.filter(applicant_types__contains=[applicant_type])
    # SQLite cannot look inside a JSON list; the catalog is a few thousand rows, so the ids are
    # picked in Python.
    ids = [pk for pk, types in qs.values_list("pk", "applicant_types")
           if applicant_type in (types or [])]
    return qs.filter(pk__in=ids)


def _unit_model():
    # The competent unit's model, without importing the accounts app's internals.
    return Procedure._meta.get_field("competent_unit").related_model


def procedure_filter_options() -> dict[str, list]:
    """What the public list can be filtered by: only values some procedure in force has."""
    active = Procedure.objects.filter(is_active=True)
    types: set[str] = set()
    for row in active.values_list("applicant_types", flat=True):
        types.update(row or [])
    return {
        "fields": list(Field.objects.filter(procedures__is_active=True).distinct()
                       .order_by("name")),
        "levels": Procedure.Level.choices,
        "online_levels": Procedure.OnlineLevel.choices,
        "authorities": sorted(set(active.exclude(competent_authority="")
                                  .values_list("competent_authority", flat=True))),
        "units": list(_unit_model().objects.filter(procedures__is_active=True).distinct()
                      .order_by("name")),
        "applicant_types": sorted(types),
    }


def procedure_get(code: str) -> Procedure | None:
    """The version of procedure `code` in force, with everything a detail page shows."""
    variants = Variant.objects.prefetch_related("time_limits", "fees", "documents", "steps")
    return (Procedure.objects.filter(code=code, is_active=True)
            .select_related("field", "competent_unit")
            .prefetch_related(Prefetch("variants", queryset=variants), "legal_bases")
            .order_by("-version").first())


def procedure_template_get(code: str, document_id: int) -> RequiredDocument | None:
    """A paper of procedure `code`'s version in force that has a form template file (mẫu đơn,
    tờ khai) to hand out; None for another procedure's or an older version's paper."""
    current = (Procedure.objects.filter(code=code, is_active=True).order_by("-version")
               .values("pk")[:1])
    return (RequiredDocument.objects.filter(pk=document_id, variant__procedure=current)
            .exclude(template_file="").first())


def _fallback_channels(channel: int) -> list[int]:
    # The counter limit is the statutory one; when a procedure publishes only another channel
    # (116 national procedures list only "Trực tuyến") that channel's limit is the best known.
    order = [int(channel), Channel.COUNTER]
    return order + [c for c in Channel.values if c not in order]


def variant_time_limit(variant: Variant, channel: int) -> TimeLimit | None:
    """The time limit for a dossier filed through `channel`: that channel's own limit, else the
    counter limit, else whatever limit the variant has."""
    # The rows held (a filing's case from the reference cache holds them), without the related
    # manager and queryset `.all()` builds on every call (issue #18).
    limits = list(related_rows(variant, "time_limits"))
    for candidate in _fallback_channels(channel):
        for limit in limits:
            if limit.channel == candidate:
                return limit
    return None


def variant_fees(variant: Variant, channel: int) -> list[Fee]:
    """Fees for a dossier filed through `channel`; the counter fees when that channel lists none."""
    fees = list(related_rows(variant, "fees"))
    for candidate in (int(channel), Channel.COUNTER):
        own = [f for f in fees if f.channel == candidate]
        if own:
            return own
    return []


def procedure_codes_ranked(*, query: str, limit: int = 10) -> list[str]:
    """The codes of the `limit` procedures in force that best match `query`, best first."""
    return list(procedure_list(query=query).values_list("code", flat=True)[:limit])
