"""Reading the register: who may do what, the rounds and provisions, the costs, the measured
effect of a change on real dossiers, the feedback about a procedure, the summaries."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import Role, Unit, User
from accounts.selectors import (
    unit_subtree_ids,
    user_is_staff_member,
    user_roles,
    user_unit_ids,
)
from catalog.selectors import procedure_versions
from dossiers.selectors import (
    SettledFigures,
    procedure_dossier_count,
    procedure_settled_figures,
)
from regulations.costs import CostInputs, Saving, saving, share_percent
from regulations.income import HourlyValue, hourly_value_of
from regulations.models import Provision, ReviewRound

YEAR = timedelta(days=365)


# --- Who may do what -----------------------------------------------------------------------

def reform_unit_ids(user: User) -> set[int]:
    """The units whose rounds `user` runs: those where they hold Role.REFORM and every unit
    below them."""
    return unit_subtree_ids(user_unit_ids(user, role=Role.REFORM))


def can_view_register(user: User) -> bool:
    """The summaries are internal: staff with a role in some unit read them."""
    return user.is_authenticated and user_is_staff_member(user)


def can_view_round(user: User, review_round: ReviewRound) -> bool:
    """A round is read by its reform officers and by the units it asks to review something
    (the units of its provisions)."""
    if can_manage_round(user, review_round):
        return True
    units = {pk for pk, _role in user_roles_of(user)}
    return review_round.provisions.filter(unit_id__in=units).exists()


def user_roles_of(user: User) -> frozenset[tuple[int, str]]:
    return user_roles(user) if user.is_authenticated else frozenset()


def rounds_visible(user: User) -> QuerySet[ReviewRound]:
    units = {pk for pk, _role in user_roles_of(user)}
    managed = reform_unit_ids(user)
    return (ReviewRound.objects.filter(Q(unit_id__in=managed)
                                       | Q(provisions__unit_id__in=units))
            .distinct().select_related("unit"))


def round_ids_openable(user: User) -> set[int]:
    """The ids of the review rounds whose page `user` may open (rounds_visible; the others
    answer 404 to them): the summary counts every round of the province and links only these."""
    return set(rounds_visible(user).values_list("pk", flat=True))


def rounds_overlapping(*, start: date, end: date) -> QuerySet[ReviewRound]:
    """The rounds whose period meets [start, end]: those a CCHC plan task of that period may
    point at as the review it delivers (reform/)."""
    return (ReviewRound.objects.filter(start_date__lte=end, end_date__gte=start)
            .select_related("unit").order_by("-start_date", "name", "id"))


def can_manage_round(user: User, review_round: ReviewRound) -> bool:
    return review_round.unit_id in reform_unit_ids(user)


def can_change_catalogue(user: User, procedure) -> bool:
    """Whether an approval by `user` may make `procedure`'s next version in the catalogue.

    Running a round is not enough: every unit has CCHC officers (Role.REFORM) and runs rounds
    of its own, and a round may list any procedure — but a department's officer must not remove
    another department's papers or fees, or move its time limit, for the whole province. The
    change is the decision of the authority over the procedure (Decree 63/2010/NĐ-CP as amended
    by Decree 92/2017/NĐ-CP: the province's chairman publishes its procedures): a reform officer
    of its competent unit or a unit above it; a procedure without one (the communes' shared
    ones) only an officer of a top unit (the province's committee), since it changes for all.
    """
    if procedure is None:
        return False
    if procedure.competent_unit_id is not None:
        return procedure.competent_unit_id in reform_unit_ids(user)
    return Unit.objects.filter(pk__in=user_unit_ids(user, role=Role.REFORM),
                               parent__isnull=True).exists()


def can_propose(user: User, provision: Provision) -> bool:
    """The provision's unit proposes (its specialists and heads); the round's reform officers
    may too."""
    if can_manage_round(user, provision.round):
        return True
    return provision.unit_id in (user_unit_ids(user, role=Role.SPECIALIST)
                                 | user_unit_ids(user, role=Role.HEAD))


def can_add_provision(user: User, review_round: ReviewRound) -> bool:
    """Reform officers of the round, and the specialists and heads of a unit the round already
    asks to review something (for their own unit)."""
    return can_manage_round(user, review_round) or review_round.provisions.filter(
        unit_id__in=proposing_unit_ids(user)).exists()


def proposing_unit_ids(user: User) -> set[int]:
    return user_unit_ids(user, role=Role.SPECIALIST) | user_unit_ids(user, role=Role.HEAD)


# --- Rounds and provisions -----------------------------------------------------------------

def round_provisions(review_round: ReviewRound) -> QuerySet[Provision]:
    return (review_round.provisions.select_related("unit", "procedure", "new_version")
            .order_by("procedure_code", "id"))


def provision_get(pk: int) -> Provision | None:
    return (Provision.objects.select_related("round", "round__unit", "unit", "procedure",
                                             "document", "time_limit", "fee", "step",
                                             "new_version")
            .filter(pk=pk).first())


def yearly_dossiers(code: str, *, now: datetime | None = None) -> int:
    """The dossiers of procedure `code` filed in the 12 months before `now`."""
    now = now or timezone.now()
    return procedure_dossier_count(code=code, start=now - YEAR, end=now) if code else 0


def provision_saving(p: Provision) -> Saving:
    """The yearly compliance cost before and after the proposal, and the saving."""
    before = CostInputs(p.hours_before, p.hourly_cost, p.fees_before, p.outside_before)
    after = CostInputs(p.hours_after, p.hourly_cost, p.fees_after, p.outside_after)
    if p.action == Provision.Action.KEEP:
        after = before
    return saving(before, after, p.yearly_dossiers)


def provision_hourly(p: Provision) -> HourlyValue | None:
    """How the proposal's hourly cost was reached: the income figure it was derived from, or
    None when the reviewer typed it."""
    return hourly_value_of(p.hourly_income_year)


def provision_in_effect(p: Provision, today: date | None = None) -> bool:
    """Approved to change something, and its date has come."""
    today = today or timezone.localdate()
    return (p.state == Provision.State.APPROVED and p.action != Provision.Action.KEEP
            and p.effective_date is not None and p.effective_date <= today)


# --- The measured effect -------------------------------------------------------------------

@dataclass(frozen=True)
class Effect:
    """Dossiers of the procedure returned in the 12 months before the change (filed under the
    older versions) and since (filed under the new version or later)."""

    before: SettledFigures
    after: SettledFigures

    @property
    def median_change(self) -> float | None:
        if self.before.median_days is None or self.after.median_days is None:
            return None
        return round(self.after.median_days - self.before.median_days, 2)

    @property
    def on_time_change(self) -> float | None:
        if self.before.on_time_percent is None or self.after.on_time_percent is None:
            return None
        return round(self.after.on_time_percent - self.before.on_time_percent, 1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def provision_effect(p: Provision, *, today: date | None = None) -> Effect | None:
    """The effect of an approved change on real dossiers once it has taken effect; None before,
    or when it made no new version of a procedure."""
    today = today or timezone.localdate()
    if not provision_in_effect(p, today) or p.new_version_id is None:
        return None
    changed = _midnight(p.effective_date)
    versions = procedure_versions(p.procedure_code)
    new_number = p.new_version.version
    older = [pk for pk, number in versions if number < new_number]
    newer = [pk for pk, number in versions if number >= new_number]
    return Effect(
        before=procedure_settled_figures(code=p.procedure_code, start=changed - YEAR,
                                         end=changed, procedure_ids=older),
        after=procedure_settled_figures(code=p.procedure_code, start=changed,
                                        end=_midnight(today + timedelta(days=1)),
                                        procedure_ids=newer))


# --- Feedback about the procedure (PAKN, feedback/) ----------------------------------------

def feedback_hook_connected() -> bool:
    return _feedback_hook() is not None


def _feedback_hook():
    path = getattr(settings, "MOTCUA_REGULATIONS_FEEDBACK_FOR_PROCEDURE", "")
    if not path:
        return None
    try:
        return import_string(path)
    except ImportError:
        return None


def feedback_for_procedure(code: str, user: User | None = None) -> list:
    """The citizens' feedback (PAKN) about procedure `code`, through the function the setting
    MOTCUA_REGULATIONS_FEEDBACK_FOR_PROCEDURE names (the feedback app's selector); empty while
    none is connected. With `user`, each item's `staff_readable` says whether that officer may
    open it (the page links only those)."""
    hook = _feedback_hook()
    if hook is None or not code:
        return []
    return list(hook(code) if user is None else hook(code, user=user))


# --- Summaries -----------------------------------------------------------------------------

@dataclass
class Summary:
    """One round's figures, or a period's: what Resolution 68/NQ-CP measures."""

    label: str
    reviewed: int = 0
    proposed: int = 0
    approved: int = 0
    done: int = 0
    cost_before: int = 0
    cost_saved: int = 0
    target_percent: float = 20.0
    rounds: list = field(default_factory=list)

    @property
    def cut_percent(self) -> float | None:
        """Provisions approved to be cut or simplified, of those reviewed."""
        return share_percent(self.approved, self.reviewed)

    @property
    def cost_saved_percent(self) -> float | None:
        """Yearly compliance cost saved by the approved changes, of the cost of every provision
        reviewed."""
        return share_percent(self.cost_saved, self.cost_before)

    @property
    def cut_target_met(self) -> bool:
        return (self.cut_percent or 0) >= self.target_percent

    @property
    def cost_target_met(self) -> bool:
        return (self.cost_saved_percent or 0) >= self.target_percent


def target_percent() -> float:
    """Resolution 68/NQ-CP: cut or simplify at least 20 % of the regulations and 20 % of the
    compliance cost (a setting, for a later programme's target)."""
    return float(getattr(settings, "MOTCUA_REGULATIONS_TARGET_PERCENT", 20))


def _add(summary: Summary, provisions: list[Provision], as_of: date) -> None:
    changing = [p for p in provisions if p.action and p.action != Provision.Action.KEEP]
    summary.reviewed += len(provisions)
    summary.proposed += sum(1 for p in changing if p.state != Provision.State.REVIEWING)
    approved = [p for p in changing if p.state == Provision.State.APPROVED]
    summary.approved += len(approved)
    summary.done += sum(1 for p in approved if provision_in_effect(p, as_of))
    summary.cost_before += sum(provision_saving(p).before for p in provisions)
    summary.cost_saved += sum(provision_saving(p).saved for p in approved)


def round_summary(review_round: ReviewRound, *, as_of: date | None = None) -> Summary:
    as_of = as_of or timezone.localdate()
    summary = Summary(label=review_round.name, target_percent=target_percent())
    _add(summary, list(review_round.provisions.all()), as_of)
    return summary


def period_summary(*, start: date, end: date, as_of: date | None = None) -> Summary:
    """Every round that began in [start, end], one row each, and their total; "done" counts
    the changes in effect by `end` (or `as_of` when earlier)."""
    as_of = min(as_of or timezone.localdate(), end)
    total = Summary(label=f"{start:%d/%m/%Y} – {end:%d/%m/%Y}", target_percent=target_percent())
    for review_round in (ReviewRound.objects.filter(start_date__gte=start, start_date__lte=end)
                         .prefetch_related("provisions").order_by("start_date", "id")):
        row = Summary(label=review_round.name, target_percent=total.target_percent)
        provisions = list(review_round.provisions.all())
        _add(row, provisions, as_of)
        _add(total, provisions, as_of)
        total.rounds.append((review_round, row))
    return total
