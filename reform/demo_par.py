"""Demo data of the PAR Index and SIPAS (settings.MOTCUA_DEMO_EXTRAS): the Department of Home
Affairs with its CCHC officer and an appraiser, the departments' CCHC officers, the shipped
criteria set for departments (last year's round published, this year's open), and a SIPAS round
drawn from dossiers returned this year, with answers.

Accounts (password accounts.demo.DEMO_PASSWORD): noivu.cchc (the Department of Home Affairs'
CCHC officer of the plan's demo, reform/demo_plans.py, here the organiser), thamdinh
(appraiser), cchc.tp and cchc.nnmt (the departments' CCHC officers).
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Role, Unit, User
from metrics.periods import Period
from reform import demo_plans
from reform.models import ParAssessment, ParCriteriaSet, ParRound, SipasRound
from reform.par import services
from reform.par.importer import SHIPPED_DEPARTMENT_SET, criteria_import
from reform.sipas.questions import version_default
from reform.sipas.services import _link_issue, survey_answer, survey_create

PROVINCE, TP, NNMT = "000.00.00.H56", "000.00.15.H56", "000.00.21.H56"
ORGANISER = demo_plans.OFFICER
HOME_CODE = demo_plans.HOME_AFFAIRS

PEOPLE = [
    # The plan's CCHC officer also organises the province's SIPAS survey.
    (ORGANISER, "", "", [(PROVINCE, Role.REFORM)]),
    ("thamdinh", "Huỳnh Văn Tâm", "Tổ thẩm định Chỉ số CCHC", [(HOME_CODE, Role.APPRAISER)]),
    ("cchc.tp", "Ngô Thị Mai", "Chuyên viên CCHC, Sở Tư pháp", [(TP, Role.REFORM)]),
    ("cchc.nnmt", "Bùi Văn Sơn", "Chuyên viên CCHC, Sở NN&MT", [(NNMT, Role.REFORM)]),
]


def _people() -> dict[str, User]:
    demo_plans._people()  # the Department of Home Affairs and its CCHC officer, shared
    users = {}
    for username, name, title, roles in PEOPLE:
        user, created = User.objects.get_or_create(username=username, defaults={
            "full_name": name, "title": title, "kind": User.Kind.STAFF})
        if created and name:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for code, role in roles:
            Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=code),
                                             role=role)
        users[username] = user
    return users


def _criteria(year: int) -> ParCriteriaSet:
    found = ParCriteriaSet.objects.filter(year=year, level="department").first()
    if found:
        return found
    text = SHIPPED_DEPARTMENT_SET.read_text(encoding="utf-8").replace("year: 2026", f"year: {year}")
    text = text.replace("năm 2026", f"năm {year}")
    return criteria_import(text, source_name=SHIPPED_DEPARTMENT_SET.name)


def _fill(a: ParAssessment, user: User, weak: set[str]) -> None:
    for s in a.scores.select_related("criterion"):
        c = s.criterion
        if c.live_metric:
            continue
        if c.code in weak:
            value = {"yes_no": "no", "percent": "70", "number": "0", "points": "1"}[c.answer_kind]
        else:
            value = {"yes_no": "yes", "percent": "100", "number": "3",
                     "points": str(c.max_points)}[c.answer_kind]
        services.score_declare(score=s, actor=user, value=value,
                               explanation="Tài liệu lưu tại văn phòng đơn vị (dữ liệu mẫu)")


def _last_year(users: dict[str, User], year: int) -> None:
    """Last year's round, appraised and published: what this year is compared with."""
    crit = _criteria(year - 1)
    if crit.rounds.exists():
        return
    home = Unit.objects.get(code=HOME_CODE)
    units = [Unit.objects.get(code=TP), Unit.objects.get(code=NNMT)]
    r = services.round_open(actor=users[ORGANISER], criteria_set=crit, organiser=home,
                            name=f"Chỉ số CCHC các sở năm {year - 1}",
                            period=Period("nam", year - 1),
                            self_deadline=timezone.localdate() + timedelta(days=1), units=units)
    weak = {TP: {"1.4", "2.1", "7.4"}, NNMT: {"1.6", "5.2", "6.1", "3.4"}}
    for a, who in zip(r.assessments.order_by("unit__code"), ("cchc.tp", "cchc.nnmt"),
                      strict=True):
        _fill(a, users[who], weak[a.unit.code])
        services.assessment_submit(assessment=a, actor=users[who])
        for s in a.scores.select_related("criterion").filter(value=""):
            services.score_appraise(score=s, actor=users["thamdinh"], accept=False,
                                    value="90", reason="Số liệu năm trước theo báo cáo của sở")
        services.assessment_finish(assessment=a, actor=users["thamdinh"])
    services.round_publish(par_round=r, actor=users[ORGANISER])


def _this_year(users: dict[str, User], year: int) -> None:
    crit = _criteria(year)
    if crit.rounds.exists():
        return
    home = Unit.objects.get(code=HOME_CODE)
    r = services.round_open(actor=users[ORGANISER], criteria_set=crit, organiser=home,
                            name=f"Chỉ số CCHC các sở năm {year}", period=Period("nam", year),
                            self_deadline=timezone.localdate() + timedelta(days=30),
                            units=[Unit.objects.get(code=TP), Unit.objects.get(code=NNMT)])
    # Sở NN&MT has started: a few criteria scored, nothing submitted yet.
    a = r.assessments.get(unit__code=NNMT)
    for s in a.scores.select_related("criterion").filter(criterion__code__in=["1.1", "1.3",
                                                                               "2.2"]):
        services.score_declare(score=s, actor=users["cchc.nnmt"], value="yes",
                               explanation="Quyết định lưu tại văn phòng sở (dữ liệu mẫu)")


SURVEY_APPLICANTS = [
    ("Đoàn Văn Phúc", "056087001001", "0905000101"), ("Trịnh Thị Gấm", "056190001002",
                                                     "0905000102"),
    ("Mai Văn Hùng", "056085001003", "0905000103"), ("Lý Thị Kim", "056192001004",
                                                    "0905000104"),
    ("Phan Văn Lộc", "056080001005", "0905000105"), ("Tạ Thị Ngọc", "056195001006",
                                                    "0905000106"),
]


def _returned_dossiers() -> int:
    """Six dossiers of the justice department filed a few days ago at the centre and returned
    today, so that the survey has people who received results (the other demo dossiers stay in
    the inboxes)."""
    from catalog.models import Procedure
    from dossiers.services import dossier_act, dossier_create
    from results.drafting import draft_from_template, draft_sign

    desk = User.objects.get(username="tiepnhan")
    specialist = User.objects.get(username="chuyenvien.tp")
    head = User.objects.get(username="lanhdao.tp")
    centre = Unit.objects.get(code="000.00.12.H56")
    procedure = (Procedure.objects.filter(is_active=True, competent_unit__code=TP,
                                          variants__time_limits__channel=1)
                 .distinct().order_by("code").first())
    if procedure is None:
        return 0
    variant = procedure.variants.filter(time_limits__channel=1).first()
    docs = [{"required_document": d.pk, "original_seen": True}
            for d in variant.documents.filter(optional=False)]
    now = timezone.now()
    # Received in office hours three days ago, an hour apart: anchored to the day, not to the
    # clock, so that two loads the same day write the same rows (counted "now − i hours", they
    # fell on two days whenever the load ran in the small hours, and two loads an hour apart
    # split them differently — the demo copy the browser tests start from then differed from
    # a fresh load).
    opening = timezone.make_aware(datetime.combine(
        timezone.localdate(now) - timedelta(days=3), time(8)))
    for i, (name, number, phone) in enumerate(SURVEY_APPLICANTS):
        start = opening + timedelta(hours=i)
        d, _ = dossier_create(actor=desk, variant=variant, channel=1, receiving_unit=centre,
                              applicant={"kind": 1, "name": name, "id_number": number,
                                         "address": "Nha Trang, tỉnh Khánh Hòa",
                                         "phone": phone},
                              documents=docs, accept=True, at=start)
        d = dossier_act(dossier=d, actor=desk, action="forward",
                        data={"assignee": specialist.pk}, at=start + timedelta(minutes=30))
        # The result is drafted by the specialist and signed from the draft (results/).
        draft = draft_from_template(dossier=d, actor=specialist,
                                    at=start + timedelta(minutes=50))
        d = dossier_act(dossier=d, actor=specialist, action="forward",
                        data={"assignee": head.pk}, at=start + timedelta(hours=1))
        d = draft_sign(draft=draft, actor=head, confirmed=True, at=start + timedelta(hours=2))
        d = dossier_act(dossier=d, actor=desk, action="mark_result_ready",
                        at=start + timedelta(hours=3))
        dossier_act(dossier=d, actor=desk, action="return_result", at=now,
                    data={"receiver": {"method": "desk", "paper": f"CCCD số {number}"}})
    return len(SURVEY_APPLICANTS)


ANSWER_SHEETS = [
    {"TC1": "yes", "TC2": "5", "TT1": "yes", "TT2": "4", "TT3": "4", "CC1": "yes", "CC2": "5",
     "CC3": "5", "KQ1": "yes", "KQ2": "5", "PA1": "yes", "PA2": "4",
     "MD1": "Rút ngắn thời gian giải quyết"},
    {"TC2": "4", "TT2": "3", "TT3": "2", "CC2": "4", "CC3": "4", "KQ2": "4", "PA2": "3",
     "MD1": "Giảm giấy tờ phải nộp"},
    {"TC2": "5", "TT2": "4", "TT3": "4", "CC2": "5", "CC3": "4", "KQ2": "5", "PA1": "no",
     "MD1": "Mở rộng dịch vụ công trực tuyến"},
]


def _survey(users: dict[str, User], year: int) -> None:
    if SipasRound.objects.exists():
        return
    _returned_dossiers()
    today = timezone.localdate()
    survey = survey_create(actor=users[ORGANISER], version=version_default(year),
                           organiser=Unit.objects.get(code=PROVINCE),
                           name=f"Khảo sát SIPAS năm {year}",
                           returned_from=today.replace(month=1, day=1), returned_to=today,
                           sample_size=10, closes_on=today + timedelta(days=30))
    for inv, sheet in zip(survey.invitations.all(), ANSWER_SHEETS, strict=False):
        # The demo's respondents answer the link sent to them; only its hash is stored, so
        # the demo makes the secret here as the sending does (reform/sipas/services.py).
        link = _link_issue(inv)
        inv.save(update_fields=["token_hash"])
        survey_answer(token=link.rstrip("/").rsplit("/", 1)[1], answers=sheet)


@transaction.atomic
def load() -> dict[str, int]:
    users = _people()
    year = timezone.localdate().year
    _last_year(users, year)
    _survey(users, year)  # before this year's round, so that its live criteria have data
    _this_year(users, year)
    return {"đợt đánh giá Chỉ số CCHC": ParRound.objects.count(),
            "bản đánh giá Chỉ số CCHC": ParAssessment.objects.count(),
            "đợt khảo sát SIPAS": SipasRound.objects.count(),
            "tài khoản CCHC, thẩm định": len([p for p in PEOPLE if p[1]])}
