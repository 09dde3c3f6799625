"""SIPAS: the stratified sample, the one-time link, anonymous answers, results feeding the
PAR Index survey criteria."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.test import Client
from rest_framework.test import APIClient

from dossiers.tests.conftest import APPLICANT
from metrics.periods import Period
from motcua.errors import NotAllowed
from notifications.models import Notification
from reform.models import SipasAnswer, SipasInvitation, SipasResponse, SipasRound
from reform.par.live import live_figures
from reform.sipas import selectors, services
from reform.sipas.questions import version_default
from reform.sipas.services import allocate
from reform.tests.par.conftest import NOW

# The surveys close far ahead: the answer page weighs the closing day against the real today, and
# a fixed 31/12/2026 answered 410 to every link from 1 January 2027 on.
CLOSES = date(2099, 12, 31)


def test_allocation_is_proportional_and_exact():
    assert allocate({"a": 50, "b": 30, "c": 20}, 10) == {"a": 5, "b": 3, "c": 2}
    assert allocate({"a": 2, "b": 1}, 10) == {"a": 2, "b": 1}
    assert sum(allocate({"a": 7, "b": 7, "c": 7}, 10).values()) == 10


@pytest.fixture
def province_officer(home):
    from accounts.models import Membership, Role
    Membership.objects.create(user=home.reform_officer, unit=home.province, role=Role.REFORM)
    return home.reform_officer


@pytest.fixture
def survey(home, month, province_officer):
    version = version_default(2026)
    return services.survey_create(
        actor=home.reform_officer, version=version, organiser=home.province,
        name="SIPAS quý 1/2026", returned_from=date(2026, 3, 1),
        returned_to=date(2026, 3, 31), sample_size=4, closes_on=CLOSES, seed=7)


def live_token(invitation) -> str:
    """A live secret for `invitation`, as sending or printing makes one (only its hash is
    stored, so a test cannot read it back)."""
    link = services._link_issue(invitation)
    invitation.save(update_fields=["token_hash"])
    return link.rstrip("/").rsplit("/", 1)[1]


SATISFIED = {"TC2": "5", "TT2": "4", "TT3": "2", "CC2": "5", "CC3": "4", "KQ2": "4",
             "PA2": "3", "TC1": "yes", "MD1": "Giảm giấy tờ phải nộp"}


def test_sample_links_answers_and_results(province_officer, survey, home, settings):
    settings.MOTCUA_NOTIFY_ON_COMMIT = False
    invitations = list(survey.invitations.all())
    assert len(invitations) == 4
    assert {i.dossier.state for i in invitations} == {"returned"}
    from dossiers.models import Dossier
    Dossier.objects.filter(pk__in=[i.dossier_id for i in invitations]).update(
        applicant_email="nguoinop@example.vn")
    settings.MOTCUA_SMS_URL = ""  # no SMS gateway here: e-mail only
    assert services.invitations_send(survey=survey, actor=home.reform_officer) == 4
    mails = Notification.objects.filter(kind="survey", channel="email")
    assert mails.count() == 4
    links = sorted(m.body.split("/cai-cach/khao-sat/")[1].split("/")[0] for m in mails)
    # Only each link's hash is kept (audit8): the database holds no answerable link.
    stored = sorted(SipasInvitation.objects.filter(survey=survey)
                    .values_list("token_hash", flat=True))
    assert sorted(services.token_hash(link) for link in links) == stored
    assert not set(links) & set(stored)
    assert {m.recipient for m in mails} == {"nguoinop@example.vn"}
    assert services.invitations_send(survey=survey, actor=home.reform_officer) == 0  # once
    with pytest.raises(NotAllowed):
        services.invitations_send(survey=survey, actor=home.dept_officer)
    url = f"/cai-cach/khao-sat/{links[0]}/"
    page = Client().get(url)
    assert page.status_code == 200 and "CC2" in page.content.decode()
    r = Client().post(url, {**SATISFIED, "TC2": "9"})
    assert r.status_code == 400 and SipasResponse.objects.count() == 0
    assert Client().post(url, SATISFIED).status_code == 200
    assert Client().post(url, SATISFIED).status_code == 404  # one time only
    assert Client().get(url).status_code == 404
    services.survey_answer(token=links[1],
                           answers={"TC2": "1", "TT2": "5", "CC2": "4"}, now=NOW)
    result = selectors.survey_results(survey)
    assert (result.invited, result.responded, result.response_rate) == (4, 2, D("50.00"))
    # access 1 of 2, procedure 2 of 3, civil servant 3 of 3, result 1 of 1, feedback 0 of 1.
    assert result.elements == {"access": D("50.00"), "procedure": D("66.67"),
                               "civil_servant": D("100.00"), "result": D("100.00"),
                               "feedback": D("0.00")}
    assert result.overall == D("63.33")
    settings.MOTCUA_SIPAS_OVERALL = "pooled"
    assert selectors.survey_results(survey).overall == D("70.00")  # 7 of 10
    # The PAR Index survey criteria read the same figure for the province and the quarter.
    figures = live_figures({"sipas", "sipas_civil_servant"}, unit=home.province,
                           period=Period("quy", 2026, 1), now=NOW)
    assert figures["sipas"].value == D("70.00")
    assert figures["sipas_civil_servant"].value == D("100.00")


def test_answers_cannot_be_traced_to_a_person(province_officer, survey, home, settings):
    settings.MOTCUA_NOTIFY_ON_COMMIT = False
    inv = survey.invitations.select_related("dossier").first()
    token = live_token(inv)
    Client().post(f"/cai-cach/khao-sat/{token}/", SATISFIED)
    response = SipasResponse.objects.get()
    # Nothing on the sheet or its answers points at the invitation, the dossier or a person.
    columns = {f.name for f in SipasResponse._meta.get_fields()}
    assert columns == {"id", "survey", "unit", "procedure_level", "channel", "received_on",
                       "printed_slip", "answers"}
    assert {f.name for f in SipasAnswer._meta.get_fields()} == {"id", "response", "question",
                                                                 "value"}
    assert not any(f.related_model is SipasResponse
                   for f in SipasInvitation._meta.get_fields())
    # Every page and API answer of the round shows aggregates only.
    officer = Client()
    officer.force_login(home.reform_officer)
    api = APIClient()
    api.force_authenticate(home.reform_officer)
    d = inv.dossier
    for r in (officer.get(f"/cai-cach/sipas/dot/{survey.pk}/"),
              officer.get("/cai-cach/sipas/"),
              # The slips to print list the links still unused: not the answered one.
              officer.get(f"/cai-cach/sipas/dot/{survey.pk}/in-ma-qr/"),
              api.get("/api/v1/reform/sipas/"),
              api.get(f"/api/v1/reform/sipas/{survey.pk}/")):
        assert r.status_code == 200
        body = r.content.decode()
        for secret in (d.code, APPLICANT["name"], APPLICANT["phone"], token,
                       str(response.pk)):
            assert secret not in body
    assert "Tỷ lệ trả lời" in officer.get(f"/cai-cach/sipas/dot/{survey.pk}/").content.decode()


def test_only_the_organiser_reads_a_round(survey, home, province_officer, settings):
    from dossiers.models import Dossier

    c = Client()
    c.force_login(home.dept_officer)
    assert c.get(f"/cai-cach/sipas/dot/{survey.pk}/").status_code == 404
    assert c.get(f"/cai-cach/sipas/dot/{survey.pk}/in-ma-qr/").status_code == 404
    assert c.post(f"/cai-cach/sipas/dot/{survey.pk}/in-ma-qr/").status_code == 404
    organiser = Client()
    organiser.force_login(home.reform_officer)
    # No one of the sample can be reached: all four get a printed slip, shown once (audit8:
    # the page's GET used to show every unused link, every time).
    settings.MOTCUA_SMS_URL = ""
    Dossier.objects.update(applicant_email="", applicant_user=None)
    url = f"/cai-cach/sipas/dot/{survey.pk}/in-ma-qr/"
    assert organiser.get(url).content.decode().count('class="qr-image"') == 0
    assert organiser.post(url).content.decode().count('class="qr-image"') == 4
    assert organiser.get(url).content.decode().count('class="qr-image"') == 0


def test_the_organiser_draws_a_sample_from_the_page(home, month, province_officer):
    version = version_default(2026)
    c = Client()
    c.force_login(home.reform_officer)
    form = {"organiser": home.province.pk, "version": version.pk, "name": "SIPAS tháng 3",
            "returned_from": "2026-03-01", "returned_to": "2026-02-01", "sample_size": "3",
            "closes_on": CLOSES.isoformat()}
    bad = c.post("/cai-cach/sipas/", form)
    assert bad.status_code == 400 and "“Đến ngày” phải sau “từ ngày”." in bad.content.decode()
    assert 'value="SIPAS tháng 3"' in bad.content.decode()  # what was typed is kept
    ok = c.post("/cai-cach/sipas/", {**form, "returned_to": "2026-03-31"})
    assert ok.status_code == 303
    survey = version.rounds.get()
    # March's returned dossiers: the department's 3 at the counter and 1 online, the commune's
    # 1: 3 × 3/5 = 1.8 → 2 from the largest stratum, the last one to a stratum of one.
    strata = [(i.unit_id, i.channel) for i in survey.invitations.all()]
    assert len(strata) == 3 and strata.count((home.dept.pk, 1)) == 2
    assert len(set(strata)) == 2


@pytest.mark.parametrize("field, value", [("name", "Khảo sát " * 40), ("version", "abc"),
                                          ("sample_size", "9" * 12), ("sample_size", "9" * 25)])
def test_a_survey_refuses_a_long_name_a_strange_id_or_a_huge_sample_not_a_500(
        home, month, province_officer, field, value):
    """A name past its 300-character column and a sample past its 32-bit column were 500s on
    PostgreSQL (past 64 bits on SQLite too); an id that is not a number a 500 everywhere."""
    data = {"organiser": home.province.pk, "version": version_default(2026).pk,
            "name": "SIPAS 2026", "returned_from": "2026-03-01", "returned_to": "2026-03-31",
            "sample_size": "4", "closes_on": CLOSES.isoformat()}
    data[field] = value
    c = Client()
    c.force_login(province_officer)
    assert c.post("/cai-cach/sipas/", data).status_code == 400
    assert not SipasRound.objects.exists()


def test_a_surveyed_unit_neither_runs_a_round_nor_scores_itself_with_one(home, month,
                                                                         province_officer):
    """audit7: every unit has CCHC officers, and each could open a SIPAS round over its own
    dossiers, print every one-time link (the QR slips) and answer them itself; the PAR Index's
    survey criteria counted such a round in the unit's own score."""
    version = version_default(2026)
    with pytest.raises(NotAllowed):
        services.survey_create(actor=home.dept_officer, version=version, organiser=home.dept,
                               name="Tự khảo sát", returned_from=date(2026, 3, 1),
                               returned_to=date(2026, 3, 31), sample_size=3,
                               closes_on=CLOSES)
    page = Client()
    page.force_login(home.dept_officer)
    r = page.post("/cai-cach/sipas/", {
        "organiser": home.dept.pk, "version": version.pk, "name": "Tự khảo sát",
        "returned_from": "2026-03-01", "returned_to": "2026-03-31", "sample_size": "3",
        "closes_on": CLOSES.isoformat()})
    assert r.status_code == 404 and not SipasRound.objects.exists()
    assert f'<option value="{home.dept.pk}"' not in page.get("/cai-cach/sipas/").content.decode()
    # A round a department ran before this rule, answered by its own officers, does not count
    # in its index; the province's round does.
    own = SipasRound.objects.create(
        version=version, organiser=home.dept, name="Tự khảo sát", returned_from=date(2026, 3, 1),
        returned_to=date(2026, 3, 31), sample_size=1, closes_on=CLOSES,
        created_by=home.dept_officer)
    for _n in range(3):
        SipasAnswer.objects.create(
            response=SipasResponse.objects.create(survey=own, unit=home.dept, channel=1,
                                                  received_on=date(2026, 4, 1)),
            question=version.questions.get(code="CC2"), value="5")
    quarter = Period("quy", 2026, 1)
    assert live_figures({"sipas"}, unit=home.dept, period=quarter, now=NOW)["sipas"].value is None
    survey = services.survey_create(
        actor=home.reform_officer, version=version, organiser=home.province, name="SIPAS",
        returned_from=date(2026, 3, 1), returned_to=date(2026, 3, 31), sample_size=5,
        closes_on=CLOSES, seed=7)
    inv = survey.invitations.filter(unit=home.dept).first()
    services.survey_answer(token=live_token(inv), answers={"CC2": "2"}, now=NOW)
    assert live_figures({"sipas"}, unit=home.dept, period=quarter,
                        now=NOW)["sipas"].value == D("0.00")


def test_links_go_to_the_people_and_printed_slips_are_logged_batches(
        province_officer, survey, home, settings):
    """audit8: the organiser (the Department of Home Affairs, itself assessed in the PAR Index)
    held every unused one-time link — stored in the clear, all listed on the print page — and
    could answer them. Now only each secret's hash is stored, links go to the people through the
    notifications adapter, the slips for those without a contact are printed once per logged
    batch, and the results show the share of answers that came through printed slips."""
    from django.test import Client

    from dossiers.models import Dossier
    from reform.models import SipasPrintBatch

    settings.MOTCUA_NOTIFY_ON_COMMIT = False
    settings.MOTCUA_SMS_URL = ""  # a phone alone reaches no one here
    invitations = list(survey.invitations.order_by("pk"))
    reachable, unreachable = invitations[:2], invitations[2:]
    Dossier.objects.filter(pk__in=[i.dossier_id for i in invitations]).update(
        applicant_email="", applicant_user=None)
    Dossier.objects.filter(pk__in=[i.dossier_id for i in reachable]).update(
        applicant_email="nguoinop@example.vn")
    assert services.invitations_send(survey=survey, actor=home.reform_officer) == 2
    mails = Notification.objects.filter(kind="survey", channel="email")
    sent = [m.body.split("/cai-cach/khao-sat/")[1].split("/")[0] for m in mails]

    organiser = Client()
    organiser.force_login(home.reform_officer)
    url = f"/cai-cach/sipas/dot/{survey.pk}/in-ma-qr/"
    counts = organiser.get(url)
    assert counts.status_code == 200 and counts["Cache-Control"].startswith("max-age=0")
    assert "/cai-cach/khao-sat/" not in counts.content.decode()
    assert "chưa in phiếu: 2" in counts.content.decode()
    # Another unit's officer prints nothing.
    with pytest.raises(NotAllowed):
        services.print_batch_create(survey=survey, actor=home.dept_officer)

    batch, slips = services.print_batch_create(survey=survey, actor=home.reform_officer,
                                               now=NOW)
    assert (batch.printed_by, batch.count, len(slips)) == (home.reform_officer, 2, 2)
    assert {s.code for s in slips} == {i.dossier.code for i in unreachable}
    printed = [s.link.rstrip("/").rsplit("/", 1)[1] for s in slips]
    hashes = set(SipasInvitation.objects.values_list("token_hash", flat=True))
    assert not (set(printed) | set(sent)) & hashes
    # Printed once: the page shows the batch, not its links, and nothing is left to print.
    after = organiser.get(url).content.decode()
    assert all(token not in after for token in printed) and "chưa in phiếu: 0" in after
    assert home.reform_officer.display_name in after
    assert services.print_batch_create(survey=survey, actor=home.reform_officer) == (None, [])
    # The web's print is a POST; it logs a batch only when there is something to print.
    assert organiser.post(url).status_code == 200
    assert SipasPrintBatch.objects.count() == 1

    services.survey_answer(token=sent[0], answers={"CC2": "5"}, now=NOW)
    services.survey_answer(token=printed[0], answers={"CC2": "5"}, now=NOW)
    assert sorted(SipasResponse.objects.values_list("printed_slip", flat=True)) == [False,
                                                                                     True]
    result = selectors.survey_results(survey)
    assert (result.printed, result.printed_share) == (1, D("50.00"))
    assert "Phiếu trả lời qua mã QR in" in organiser.get(
        f"/cai-cach/sipas/dot/{survey.pk}/").content.decode()
    # The PAR Index's survey criterion carries the share beside the figure.
    figure = live_figures({"sipas"}, unit=home.province, period=Period("quy", 2026, 1),
                          now=NOW)["sipas"]
    assert "50.00 % phiếu trả lời qua mã QR in" in figure.source


def test_the_migration_hashes_the_links_already_sent(survey, settings):
    """Links sent before audit8 carried the secret stored in the clear: migration 0006 keeps
    only its hash, and the link still opens the survey."""
    import importlib

    from django.apps import apps

    inv = survey.invitations.first()
    SipasInvitation.objects.filter(pk=inv.pk).update(token_hash="lien-ket-cu-da-gui")
    migration = importlib.import_module("reform.migrations.0006_sipas_link_hash_print_batches")
    migration.hash_tokens(apps, None)
    inv.refresh_from_db()
    assert inv.token_hash == services.token_hash("lien-ket-cu-da-gui")
    assert services.invitation_open("lien-ket-cu-da-gui", date(2026, 4, 1)).pk == inv.pk
