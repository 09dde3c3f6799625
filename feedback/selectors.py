"""What reads feedback: staff's rows, the public answers, overdue items, and the figures other
apps read (regulations' review row, metrics' "feedback handled", the PAR criteria).

Nothing returned to a public page or another app carries the sender's personal data: the public
views are dataclasses built from the item's subject and answer only.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import PersonalDataAccess, Role, User
from accounts.selectors import user_roles
from feedback.models import Feedback, FeedbackEvent, Kind, State
from feedback.search import query_words
from feedback.states import ANSWER_OPEN, FORWARD_OPEN

STAFF_ROLES = frozenset({Role.FEEDBACK, Role.HEAD})


@dataclass(frozen=True)
class ProcedureFeedback:
    """An item about a procedure, as another app may show it: no sender data."""

    code: str
    title: str
    state: str
    state_label: str
    kind: str
    kind_label: str
    received_at: datetime
    answered_at: datetime | None
    answer_due_at: datetime | None
    overdue: bool
    published: bool
    ref: str = ""  # the published answer's public name (feedback:answer_detail)
    # Whether the officer who asked may open the item's staff page (feedback_visible): the
    # regulations' page links it only then.
    staff_readable: bool = False


def _overdue(item: Feedback, now: datetime) -> bool:
    if item.state in ANSWER_OPEN and item.answer_due_at is not None:
        return item.answer_due_at < now
    if item.state in FORWARD_OPEN and item.forward_due_at is not None:
        return item.forward_due_at < now
    return False


def feedback_for_procedure(code: str, *, limit: int = 100, user: User | None = None
                           ) -> list[ProcedureFeedback]:
    """The items about procedure `code` (every version), newest first, without sender data;
    with `user`, each says whether that officer may open its staff page.

    For the regulation-review row (regulations/) and the procedure's own page.
    """
    now = timezone.now()
    rows = Feedback.objects.filter(procedure_code=code).order_by("-received_at", "-id")[:limit]
    readable = feedback_codes_openable(user, procedure_code=code) if user is not None else set()
    return [ProcedureFeedback(
        code=f.code, title=f.title, state=f.state, state_label=str(f.get_state_display()),
        kind=f.kind, kind_label=str(f.get_kind_display()) if f.kind else "",
        received_at=f.received_at, answered_at=f.answered_at, answer_due_at=f.answer_due_at,
        overdue=_overdue(f, now), published=f.state == State.PUBLISHED,
        ref=f.public_ref, staff_readable=f.code in readable) for f in rows]


def feedback_is_overdue(item: Feedback, now: datetime | None = None) -> bool:
    return _overdue(item, now or timezone.now())


def staff_unit_ids(user: User) -> set[int]:
    return {unit_id for unit_id, role in user_roles(user) if role in STAFF_ROLES}


def feedback_visible(user: User) -> QuerySet[Feedback]:
    """Items a staff member sees: received by or held by one of their units (feedback role or
    head), or passed through one of them on the way."""
    units = staff_unit_ids(user)
    if not units:
        return Feedback.objects.none()
    passed = FeedbackEvent.objects.filter(to_unit_id__in=units).values("feedback_id")
    return Feedback.objects.filter(Q(receiving_unit_id__in=units) | Q(handling_unit_id__in=units)
                                   | Q(pk__in=passed)).select_related(
        "receiving_unit", "handling_unit", "assignee")


def feedback_codes_openable(user: User, *, procedure_code: str) -> set[str]:
    """The codes of the items about procedure `procedure_code` whose staff page `user` may open
    (feedback_visible; feedback_get answers 404 for the others): only those are linked."""
    return set(feedback_visible(user).filter(procedure_code=procedure_code)
               .values_list("code", flat=True))


def feedback_get(*, user: User, code: str) -> Feedback:
    item = feedback_visible(user).filter(code=code).first()
    if item is None:
        raise Http404("Không tìm thấy phản ánh.")
    return item


def feedback_inbox(*, user: User, box: str = "open") -> QuerySet[Feedback]:
    qs = feedback_visible(user)
    now = timezone.now()
    if box == "open":
        qs = qs.filter(state__in=list(ANSWER_OPEN | FORWARD_OPEN | {State.FORWARDED}))
    elif box == "overdue":
        qs = qs.filter(Q(state__in=list(ANSWER_OPEN), answer_due_at__lt=now)
                       | Q(state__in=list(FORWARD_OPEN), forward_due_at__lt=now))
    elif box == "late_forward":
        qs = qs.filter(Q(forwarded_at__isnull=False, forwarded_at__gt=F("forward_due_at"))
                       | Q(state__in=list(FORWARD_OPEN), forward_due_at__lt=now))
    elif box == "done":
        qs = qs.filter(state__in=[State.ANSWERED, State.PUBLISHED, State.REFUSED])
    # The id breaks ties (items received in one instant): the API pages this list by offset.
    return qs.order_by("-received_at", "-id")


def feedback_events(*, feedback: Feedback) -> QuerySet[FeedbackEvent]:
    return feedback.events.select_related("actor_unit", "to_unit").order_by("seq")


def feedback_overdue(*, now: datetime | None = None) -> QuerySet[Feedback]:
    """Every item past a due moment it still owes (classification/forward, or the answer)."""
    now = now or timezone.now()
    return Feedback.objects.filter(
        Q(state__in=list(ANSWER_OPEN), answer_due_at__lt=now)
        | Q(state__in=list(FORWARD_OPEN), forward_due_at__lt=now)).select_related(
        "receiving_unit", "handling_unit")


# ---- public answers -------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicAnswer:
    """A published item as the public sees it: subject, procedure, unit and answer only, named
    by its public reference (never the code, the first half of the sender's lookup)."""

    ref: str
    title: str
    content: str
    procedure_code: str
    procedure_name: str
    unit: str
    answer: str
    answered_at: datetime | None
    published_at: datetime | None


def _public(f: Feedback) -> PublicAnswer:
    # The sender's own words are published only with their consent: an item a publisher marked
    # "of general interest" without it shows its subject and the answer (docs/feedback.md),
    # never the text, which often names the sender, their address or their case (Decree
    # 13/2023/NĐ-CP art. 11: processing personal data needs the subject's consent).
    return PublicAnswer(ref=f.public_ref, title=f.title,
                        content=f.content if f.publish_consent else "",
                        procedure_code=f.procedure_code, procedure_name=f.procedure_name,
                        unit=f.handling_unit.name, answer=f.answer, answered_at=f.answered_at,
                        published_at=f.published_at)


def public_answers(*, query: str = "", procedure_code: str = "",
                   limit: int = 200) -> list[PublicAnswer]:
    """Published answers, newest first; every word of `query` must appear as a whole word,
    diacritics and case ignored, like the catalogue ("ho tich" finds "hộ tịch", "an" does not
    find "căn"; feedback/search.py)."""
    qs = Feedback.objects.filter(state=State.PUBLISHED).select_related("handling_unit")
    for word in query_words(query):
        qs = qs.filter(search_text__contains=word)
    if procedure_code:
        qs = qs.filter(procedure_code=procedure_code)
    return [_public(f) for f in qs.order_by("-published_at", "-id")[:limit]]


def public_answer_get(ref: str) -> PublicAnswer:
    item = (Feedback.objects.filter(state=State.PUBLISHED, public_ref=ref)
            .select_related("handling_unit").first())
    if item is None:
        raise Http404("Không tìm thấy trả lời.")
    return _public(item)


# ---- statistics -----------------------------------------------------------------------------

@dataclass
class Figures:
    """Counts of one group of items received in a period."""

    received: int = 0
    refused: int = 0
    forwarded: int = 0
    forwarded_late: int = 0
    answered: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    open: int = 0
    open_overdue: int = 0
    published: int = 0
    satisfied: int = 0
    not_satisfied: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        """Answers given on time / answers given × 100, two decimals; None without answers."""
        if not self.answered:
            return None
        return (Decimal(self.answered_on_time * 100) / Decimal(self.answered)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def handled(self) -> int:
        """Items closed by the agency: refused with a reason, or answered."""
        return self.refused + self.answered


GROUPS = ("unit", "kind", "procedure", "month")


def _group_key(item: Feedback, by: str) -> tuple[str, str]:
    if by == "unit":
        return item.handling_unit.code, item.handling_unit.name
    if by == "kind":
        return item.kind or "-", str(item.get_kind_display()) if item.kind else "Chưa phân loại"
    if by == "procedure":
        return item.procedure_code or "-", item.procedure_name or "Không gắn thủ tục"
    local = timezone.localtime(item.received_at)
    return f"{local:%Y-%m}", f"{local:%m/%Y}"


def _count(fig: Figures, item: Feedback, now: datetime) -> None:
    fig.received += 1
    if item.state == State.REFUSED:
        fig.refused += 1
    if item.forwarded_at is not None:
        fig.forwarded += 1
        if item.forward_due_at and item.forwarded_at > item.forward_due_at:
            fig.forwarded_late += 1
    if item.answered_at is not None and item.state in (State.ANSWERED, State.PUBLISHED):
        fig.answered += 1
        if item.answer_due_at and item.answered_at > item.answer_due_at:
            fig.answered_late += 1
        else:
            fig.answered_on_time += 1
    if item.state in ANSWER_OPEN | FORWARD_OPEN | {State.FORWARDED}:
        fig.open += 1
        if _overdue(item, now):
            fig.open_overdue += 1
    if item.state == State.PUBLISHED:
        fig.published += 1
    if item.rating == "satisfied":
        fig.satisfied += 1
    elif item.rating == "not_satisfied":
        fig.not_satisfied += 1


def feedback_statistics(*, start: datetime, end: datetime, by: str = "unit",
                        unit_ids: set[int] | None = None,
                        procedure_code: str = "") -> tuple[Figures, list[tuple[str, str, Figures]]]:
    """(total, [(key, label, figures)]) of the items received in [start, end), grouped by
    unit (the handling unit), class, procedure or month; `unit_ids` limits to items received or
    handled by those units.

    This is what metrics' Decision 766 indicator "feedback handled" and the PAR Index criteria
    read: `handled` / `received` and `on_time_rate` of the total (docs/feedback.md).
    """
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    qs = Feedback.objects.filter(received_at__gte=start, received_at__lt=end).select_related(
        "handling_unit")
    if unit_ids is not None:
        qs = qs.filter(Q(receiving_unit_id__in=unit_ids) | Q(handling_unit_id__in=unit_ids))
    if procedure_code:
        qs = qs.filter(procedure_code=procedure_code)
    now = timezone.now()
    total = Figures()
    groups: dict[tuple[str, str], Figures] = defaultdict(Figures)
    for item in qs.iterator():
        _count(total, item, now)
        _count(groups[_group_key(item, by)], item, now)
    rows = sorted(((key, label, fig) for (key, label), fig in groups.items()),
                  key=lambda r: r[0])
    return total, rows


def feedback_totals_by_scope(*, start: datetime, end: datetime,
                             scopes: dict[int, set[int]]) -> dict[int, Figures]:
    """For each key of `scopes`, the total `feedback_statistics` gives for `unit_ids=scopes[key]`
    over [start, end): the same items (received or handled by one of those units) counted by the
    same rule, read in one query whatever the number of scopes.

    Metrics' Decision 766 indicator "feedback answered on time" reads it for every unit of the
    dashboard (a unit's scope is its subtree).
    """
    owners: dict[int, set[int]] = defaultdict(set)
    for key, ids in scopes.items():
        for unit_id in ids:
            owners[unit_id].add(key)
    out = {key: Figures() for key in scopes}
    if not owners:
        return out
    ids = list(owners)
    qs = Feedback.objects.filter(
        Q(receiving_unit_id__in=ids) | Q(handling_unit_id__in=ids),
        received_at__gte=start, received_at__lt=end)
    now = timezone.now()
    for item in qs.iterator():
        # An item received by one unit of a scope and handled by another counts once there.
        for key in owners.get(item.receiving_unit_id, set()) | owners.get(
                item.handling_unit_id, set()):
            _count(out[key], item, now)
    return out


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


# ---- the sender's own view (after the lookup's second factor) ------------------------------

STEP_LABELS = {"submit": "Gửi phản ánh, kiến nghị"}


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    label: str
    unit: str
    note: str


@dataclass(frozen=True)
class SenderStatus:
    code: str
    title: str
    content: str
    state: str
    state_label: str
    kind_label: str
    unit: str
    received_at: datetime
    answer_due_at: datetime | None
    overdue: bool
    answer: str
    answered_at: datetime | None
    refuse_reason: str
    rating: str
    published: bool
    history: list[HistoryRow]


def sender_status(item: Feedback) -> SenderStatus:
    """What the sender sees of their own item: steps by unit, never the officers' names."""
    from feedback.states import ANSWERED, TRANSITIONS

    history = []
    for event in feedback_events(feedback=item):
        t = TRANSITIONS.get(event.action)
        label = str(t.label) if t else STEP_LABELS.get(event.action, event.action)
        unit = event.to_unit or event.actor_unit
        # The sender's own note on a rating is theirs; staff notes are shown only on refusal
        # and return (reasons the decree says the sender is told).
        note = event.note if event.action in ("refuse", "rate") else ""
        history.append(HistoryRow(at=event.at, label=label, unit=unit.name if unit else "",
                                  note=note))
    answered = item.state in ANSWERED
    return SenderStatus(
        code=item.code, title=item.title, content=item.content, state=item.state,
        state_label=str(item.get_state_display()),
        kind_label=str(item.get_kind_display()) if item.kind else "",
        unit=item.handling_unit.name, received_at=item.received_at,
        answer_due_at=item.answer_due_at, overdue=feedback_is_overdue(item),
        answer=item.answer if answered else "", answered_at=item.answered_at if answered else None,
        refuse_reason=item.refuse_reason, rating=item.rating,
        published=item.state == State.PUBLISHED, history=history)


def mine_list(*, user: User) -> QuerySet[Feedback]:
    """The items sent from this account (not those typed by staff for someone)."""
    if not getattr(user, "is_authenticated", False):
        return Feedback.objects.none()
    return Feedback.objects.filter(sender_user=user).select_related("handling_unit").order_by(
        "-received_at", "-id")


def mine_reads_rule(*, user: User) -> Q | None:
    """Which logged staff reads are of the items this account sent, for its page "Ai đã xem dữ
    liệu của tôi" (Decree 13/2023/NĐ-CP art. 9): the item's page and its files are logged under
    the sender's phone (else e-mail) with the item's code (feedback/views/staff.py). Both must
    match: a phone alone is only typed, and another person's item may carry the same one."""
    rule = Q()
    for code, phone, email in mine_list(user=user).values_list("code", "sender_phone",
                                                               "sender_email"):
        subject = (phone or email).strip()[:20]
        if subject:
            rule |= Q(subject=subject) & (Q(reference=code)
                                          | Q(reference__startswith=f"{code} · "))
    if not rule:
        return None
    return rule & Q(action__in=[PersonalDataAccess.Action.FEEDBACK_VIEW,
                                PersonalDataAccess.Action.FEEDBACK_FILE])


def mine_get(*, user: User, code: str) -> Feedback:
    item = mine_list(user=user).filter(code=code).first()
    if item is None:
        raise Http404("Không tìm thấy phản ánh.")
    return item
