"""Demo data for the register (settings.MOTCUA_DEMO_EXTRAS): a reform officer, one review round
of the demo province with proposals in several states, and one approved change that already
made the catalogue's next version of its procedure (a paper removed, in force for 30 days).

Dossiers filed over the past year for the two procedures reviewed give the yearly counts; the
decision numbers are illustrative. Loading twice adds nothing.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Role, Unit, User
from catalog.models import Procedure
from catalog.services import procedure_versions_bring_into_force
from dossiers.services import dossier_act, dossier_create
from regulations import selectors, services
from regulations.models import Provision, ReviewRound

PROVINCE, CENTRE, JUSTICE = "000.00.00.H56", "000.00.12.H56", "000.00.15.H56"
# Empty: the hourly cost is derived from the per-capita income (regulations/income.py).
HOURLY_COST = ""


def _reform_officer(province: Unit) -> User:
    user, created = User.objects.get_or_create(username="caicach", defaults={
        "kind": User.Kind.STAFF, "full_name": "Đỗ Thị Thu",
        "title": "Chuyên viên cải cách hành chính"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, unit=province, role=Role.REFORM)
    return user


def _candidates(justice: Unit) -> list[Procedure]:
    """Procedures of the Department of Justice without demo dossiers yet, each with a counter
    time limit in working days and at least two mandatory papers."""
    return list(Procedure.objects.filter(is_active=True, competent_unit=justice,
                                         dossiers__isnull=True,
                                         variants__time_limits__channel=1,
                                         variants__time_limits__unit="working_days")
                .annotate(papers=Count("variants__documents", distinct=True))
                .filter(papers__gte=2).order_by("code")[:3])


def _file(procedure: Procedure, when: datetime, i: int, *, settle_days: int = 0) -> None:
    """A dossier filed at the centre's desk at `when` (it takes the version then in force);
    with `settle_days`, carried through the department and returned that many days later, so
    the register has processing times to measure."""
    variant = procedure.variants.order_by("order", "id").first()
    docs = [{"required_document": d.pk, "original_seen": True}
            for d in variant.documents.filter(optional=False)]
    dossier, _ = dossier_create(
        actor=User.objects.get(username="tiepnhan"), variant=variant, channel=1,
        receiving_unit=Unit.objects.get(code=CENTRE), documents=docs,
        applicant={"kind": 1, "name": f"Người nộp mẫu {i + 1}",
                   "id_number": f"0561900{i + 1:05d}", "address": "Nha Trang, tỉnh Khánh Hòa"},
        accept=True, at=when)
    if settle_days:
        _settle(dossier, when, settle_days)


def _settle(dossier, when: datetime, days: int) -> None:
    from results.drafting import draft_from_template, draft_sign

    desk = User.objects.get(username="tiepnhan")
    specialist = User.objects.get(username="chuyenvien.tp")
    head = User.objects.get(username="lanhdao.tp")
    steps = [(desk, "forward", {"assignee": specialist.pk}),
             (specialist, "forward", {"assignee": head.pk}), (head, "approve", {}),
             (desk, "return_result", {"receiver": {"method": "online"}})]
    for n, (actor, action, data) in enumerate(steps, start=1):
        moment = when + timedelta(hours=2) if n == 1 else when + timedelta(days=days * n / 4)
        if action == "forward" and actor == specialist:
            # The result is drafted at the specialist's step and signed from it (results/).
            draft = draft_from_template(dossier=dossier, actor=specialist, at=moment)
        if action == "approve":
            dossier = draft_sign(draft=draft, actor=head, confirmed=True, at=moment)
            continue
        dossier = dossier_act(dossier=dossier, actor=actor, action=action, data=data,
                              at=moment)


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@transaction.atomic
def load() -> dict[str, int]:
    if ReviewRound.objects.exists():
        return {"đợt rà soát quy định": 0}
    province, justice = Unit.objects.get(code=PROVINCE), Unit.objects.get(code=JUSTICE)
    reform = _reform_officer(province)
    specialist = User.objects.get(username="chuyenvien.tp")
    procedures = _candidates(justice)
    if len(procedures) < 3:
        return {"đợt rà soát quy định": 0}
    first, second, third = procedures
    today = timezone.localdate()
    effective = today - timedelta(days=30)
    # A year of dossiers for the two procedures whose costs are measured.
    n = 0
    # Before the change: returned in 6 to 12 days, the later ones past the time limit.
    for back, days in ((330, 6), (280, 30), (230, 9), (190, 12), (150, 28), (110, 11), (75, 7),
                       (50, 0)):
        _file(first, _at(_weekday(today - timedelta(days=back))), n, settle_days=days)
        n += 1
    for back in (300, 200, 120, 60):
        _file(second, _at(_weekday(today - timedelta(days=back))), n)
        n += 1

    review_round = services.round_create(
        actor=reform, name=f"Rà soát, đơn giản hóa thủ tục hành chính năm {today.year}",
        unit=province, start_date=date(today.year, 1, 1) if today.month > 2
        else date(today.year - 1, 1, 1), end_date=date(today.year, 12, 31),
        basis="Nghị quyết 68/NQ-CP ngày 12/05/2020; Kế hoạch cải cách hành chính năm của "
              "UBND tỉnh (minh họa).")
    proposed_at = _at(effective - timedelta(days=25))

    # 1. A paper abolished: approved, in force for 30 days, version 2 made.
    papers = list(first.variants.order_by("order", "id").first().documents
                  .filter(optional=False).order_by("-order", "-id"))
    # A paper a database can replace (a copy, a confirmation), not the application itself.
    paper = next((d for d in papers if any(w in d.name.lower() for w in
                                           ("bản sao", "xác nhận", "ảnh"))), papers[0])
    # The reform office puts the provisions under review; the department proposes.
    p1 = services.provision_add(actor=reform, review_round=review_round, kind="document",
                                procedure_code=first.code, element_id=paper.pk)
    services.proposal_save(actor=specialist, provision=p1, data={
        "action": Provision.Action.ABOLISH,
        "reason": "Thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư; cơ quan giải quyết "
                  "tự khai thác, người dân không phải nộp.",
        "hourly_cost": HOURLY_COST, "hours_before": "6", "outside_before": "40000",
        "hours_after": "3", "outside_after": "10000"})
    services.provision_act(actor=specialist, provision=p1, action="propose", at=proposed_at)
    services.provision_act(actor=reform, provision=p1, action="approve", at=proposed_at
                           + timedelta(days=5),
                           data={"decision_number": "215/QĐ-UBND (minh họa)",
                                 "decision_date": effective - timedelta(days=15),
                                 "effective_date": effective})
    # Its date has passed: the public pages show the new version (the daily
    # `catalog_versions_due` does this in a real installation).
    procedure_versions_bring_into_force(today=today, codes=[first.code])
    # Filed since the change: under the new version, one paper fewer.
    for back, days in ((20, 4), (12, 5), (3, 0)):
        _file(first, _at(_weekday(today - timedelta(days=back))), n, settle_days=days)
        n += 1

    # 2. A shorter time limit: proposed, waiting for the decision.
    limit = second.variants.order_by("order", "id").first().time_limits.get(channel=1)
    p2 = services.provision_add(actor=reform, review_round=review_round,
                                kind="time_limit", procedure_code=second.code,
                                element_id=limit.pk)
    shorter = max(Decimal(1), (limit.amount * 2 / 3).quantize(Decimal(1)))
    services.proposal_save(actor=specialist, provision=p2, data={
        "action": Provision.Action.SIMPLIFY, "new_time_limit": shorter,
        "reason": "Thực tế giải quyết trung bình ngắn hơn thời hạn; rút ngắn để người dân "
                  "nhận kết quả sớm hơn.",
        "hourly_cost": HOURLY_COST, "hours_before": "8", "outside_before": "20000",
        "hours_after": "6", "outside_after": "20000"})
    services.provision_act(actor=specialist, provision=p2, action="propose")

    # 3. The whole procedure, to be decentralised to the communes: still being reviewed.
    p3 = services.provision_add(actor=reform, review_round=review_round, kind="procedure",
                                procedure_code=third.code)
    services.proposal_save(actor=specialist, provision=p3, data={
        "action": Provision.Action.DECENTRALISE, "new_level": Procedure.Level.COMMUNE,
        "reason": "Phân cấp cho UBND cấp xã để giải quyết gần dân."})
    # 4. A procedure citizens wrote about (PAKN, when the feedback demo is loaded): put under
    # review because of what they said; its items show on the row.
    about = next((p for p in Procedure.objects.filter(is_active=True, competent_unit=justice)
                  .order_by("code")[:20] if selectors.feedback_for_procedure(p.code)), None)
    if about is not None and about.code not in {first.code, second.code, third.code}:
        services.provision_add(actor=reform, review_round=review_round, kind="procedure",
                               procedure_code=about.code,
                               content=f"{about.name} — rà soát theo phản ánh, kiến nghị của "
                                       "người dân.")
    return {"đợt rà soát quy định": 1,
            "quy định được rà soát": review_round.provisions.count(),
            "hồ sơ mẫu cho rà soát": n}
