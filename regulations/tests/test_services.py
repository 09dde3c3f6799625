"""The register's services: the round, the proposal with its cost, the approval that makes the
catalogue's next version (regulations/services.py)."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Procedure
from motcua.errors import DomainError, NotAllowed
from regulations import selectors, services
from regulations.models import Provision, ProvisionEvent

from .conftest import at

COSTS = {"action": "abolish", "reason": "Đã khai thác từ Cơ sở dữ liệu quốc gia về dân cư.",
         "hourly_cost": "25000", "hours_before": "6", "fees_before": "0",
         "outside_before": "20000", "hours_after": "2", "fees_after": "0", "outside_after": "0"}


@pytest.fixture
def review_round(org):
    return services.round_create(actor=org.reform, name="Rà soát năm 2026", unit=org.province,
                                 start_date="2026-01-01", end_date="2026-12-31")


@pytest.fixture
def provision(org, review_round):
    return services.provision_add(actor=org.reform, review_round=review_round,
                                  kind="document", procedure_code=org.procedure.code,
                                  element_id=org.doc_residence.pk)


def test_yearly_count_comes_from_real_dossiers_of_the_last_12_months(org, provision,
                                                                      file_dossier):
    file_dossier("2025-05-04 09:00")  # more than a year before the proposal: not counted
    for day in ("2025-06-10", "2025-11-03", "2026-05-04"):
        file_dossier(f"{day} 09:00")
    p = services.proposal_save(actor=org.specialist, provision=provision,
                               data={**COSTS, "yearly_dossiers": 999999})
    assert p.yearly_dossiers == 0  # typed counts are ignored
    p = services.provision_act(actor=org.specialist, provision=p, action="propose",
                               at=at("2026-06-01 10:00"))
    assert p.yearly_dossiers == 3 and p.state == Provision.State.PROPOSED
    s = selectors.provision_saving(p)
    # (6 h × 25,000 + 20,000) × 3 = 510,000; after 2 h × 25,000 × 3 = 150,000
    assert (s.before, s.after, s.saved) == (510_000, 150_000, 360_000)
    event = p.events.get(action="propose")
    assert event.data == {"yearly_dossiers": 3} and event.actor == org.specialist


def test_approval_makes_the_next_version_and_filing_switches_on_its_date(org, provision,
                                                                         file_dossier):
    services.proposal_save(actor=org.specialist, provision=provision, data=COSTS)
    services.provision_act(actor=org.specialist, provision=provision, action="propose")
    p = services.provision_act(actor=org.reform, provision=provision, action="approve",
                               data={"decision_number": "123/QĐ-UBND",
                                     "decision_date": "2026-02-20",
                                     "effective_date": "2026-03-10"},
                               at=at("2026-02-21 08:00"))
    assert p.state == Provision.State.APPROVED and p.new_version.version == 2
    new = Procedure.objects.get(pk=p.new_version_id)
    assert new.effective_from == date(2026, 3, 10) and not new.is_active
    assert "123/QĐ-UBND" in new.change_note
    assert [d.name for d in new.variants.get().documents.all()] == ["Tờ khai"]
    before = file_dossier("2026-03-09 09:00")
    after = file_dossier("2026-03-10 09:00")
    assert before.procedure_id == org.procedure.pk and before.documents.count() == 2
    assert after.procedure_id == new.pk
    assert after.variant.documents.count() == 1
    assert p.events.get(action="approve").data["new_version"] == 2


def test_keep_changes_nothing_in_the_catalogue(org, provision):
    services.proposal_save(actor=org.specialist, provision=provision,
                           data={**COSTS, "action": "keep"})
    services.provision_act(actor=org.specialist, provision=provision, action="propose")
    p = services.provision_act(actor=org.reform, provision=provision, action="approve",
                               data={"decision_number": "1/QĐ", "decision_date": "2026-02-20",
                                     "effective_date": "2026-02-20"})
    assert p.new_version is None and Procedure.objects.count() == 1
    assert selectors.provision_saving(p).saved == 0


def test_decentralising_needs_a_lower_level(org, review_round):
    p = services.provision_add(actor=org.reform, review_round=review_round, kind="procedure",
                               procedure_code=org.procedure.code)
    assert p.unit == org.dept  # the procedure's competent unit proposes
    services.proposal_save(actor=org.specialist, provision=p,
                           data={"action": "decentralise", "reason": "Gần dân hơn",
                                 "new_level": "tinh"})
    with pytest.raises(DomainError) as error:
        services.provision_act(actor=org.specialist, provision=p, action="propose")
    assert "new_level" in error.value.fields
    services.proposal_save(actor=org.specialist, provision=p, data={"new_level": "xa"})
    services.provision_act(actor=org.specialist, provision=p, action="propose")
    p = services.provision_act(actor=org.reform, provision=p, action="approve",
                               data={"decision_number": "2/QĐ", "decision_date": "2026-02-01",
                                     "effective_date": "2026-02-01"},
                               at=at("2026-02-02 08:00"))
    new = Procedure.objects.get(pk=p.new_version_id)
    assert new.level == "xa" and new.is_active  # its date has come: public at once
    # At commune level the commune that receives a dossier decides it (the catalogue's
    # commune-level procedures name no competent unit): the department no longer does.
    assert new.competent_unit_id is None
    assert Procedure.objects.get(pk=org.procedure.pk).competent_unit == org.dept
    from accounts.models import Membership, Role, Unit
    from dossiers.services import dossier_create

    from .conftest import APPLICANT, _user

    ward = Unit.objects.create(code="000.31.15.H99", name="UBND phường Thử nghiệm",
                               kind=Unit.Kind.COMMUNE, parent=org.province,
                               receives_dossiers=True)
    desk = _user("tiepnhan.phuong", ward, Role.RECEIVING)
    assert Membership.objects.filter(user=desk, unit=ward).exists()
    dossier, _ = dossier_create(actor=desk, variant=org.variant, channel=1, receiving_unit=ward,
                                applicant=APPLICANT, accept=True,
                                documents=[{"required_document": d.pk}
                                           for d in org.variant.documents.all()],
                                at=at("2026-02-03 09:00"))
    assert dossier.procedure_id == new.pk and dossier.competent_unit == ward


def test_shorter_time_limit(org, review_round):
    p = services.provision_add(actor=org.reform, review_round=review_round,
                               kind="time_limit", procedure_code=org.procedure.code,
                               element_id=org.limit.pk)
    services.proposal_save(actor=org.specialist, provision=p,
                           data={"action": "simplify", "reason": "Rút ngắn",
                                 "new_time_limit": "7"})
    services.provision_act(actor=org.specialist, provision=p, action="propose")
    p = services.provision_act(actor=org.reform, provision=p, action="approve",
                               data={"decision_number": "3/QĐ", "decision_date": "2026-02-01",
                                     "effective_date": "2026-04-01"})
    assert p.new_version.variants.get().time_limits.get().amount == Decimal(7)


def test_bad_input_names_each_field(org, provision):
    with pytest.raises(DomainError) as error:
        services.proposal_save(actor=org.specialist, provision=provision,
                               data={"action": "burn", "hours_before": "-3",
                                     "hourly_cost": "abc"})
    assert set(error.value.fields) == {"action", "hours_before", "hourly_cost"}
    with pytest.raises(DomainError) as error:
        services.provision_act(actor=org.specialist, provision=provision, action="propose")
    assert set(error.value.fields) == {"action", "reason"}
    assert provision.events.count() == 1  # only "add": refused moves leave nothing


def test_approval_needs_decision_and_dates_in_order(org, provision):
    services.proposal_save(actor=org.specialist, provision=provision, data=COSTS)
    services.provision_act(actor=org.specialist, provision=provision, action="propose")
    with pytest.raises(DomainError) as error:
        services.provision_act(actor=org.reform, provision=provision, action="approve",
                               data={"decision_number": "4/QĐ", "decision_date": "2026-03-01",
                                     "effective_date": "2026-02-01"})
    assert "effective_date" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.provision_act(actor=org.reform, provision=provision, action="approve",
                               data={"decision_date": "2026-03-01",
                                     "effective_date": "2026-04-01"})
    assert "decision_number" in error.value.fields
    provision.refresh_from_db()
    assert provision.state == Provision.State.PROPOSED and Procedure.objects.count() == 1


# --- Permissions ---------------------------------------------------------------------------

def test_only_reform_officers_open_rounds(org):
    with pytest.raises(NotAllowed):
        services.round_create(actor=org.specialist, name="x", unit=org.province,
                              start_date="2026-01-01", end_date="2026-12-31")
    with pytest.raises(NotAllowed):
        services.round_create(actor=org.reform_elsewhere, name="x", unit=org.province,
                              start_date="2026-01-01", end_date="2026-12-31")
    # A reform officer of the province runs rounds of its departments too.
    assert services.round_create(actor=org.reform, name="x", unit=org.dept,
                                 start_date="2026-01-01", end_date="2026-12-31").pk


def test_units_propose_for_themselves_only(org, review_round, provision):
    # A unit the round involves may add more of its own.
    services.provision_add(actor=org.specialist, review_round=review_round, kind="fee",
                           procedure_code=org.procedure.code, element_id=org.fee.pk)
    with pytest.raises(NotAllowed):
        services.provision_add(actor=org.other_specialist, review_round=review_round,
                               kind="document", procedure_code=org.procedure.code,
                               element_id=org.doc_form.pk, unit=org.dept)
    with pytest.raises(NotAllowed):
        services.proposal_save(actor=org.other_specialist, provision=provision, data=COSTS)
    services.proposal_save(actor=org.specialist, provision=provision, data=COSTS)
    services.provision_act(actor=org.specialist, provision=provision, action="propose")
    for actor in (org.specialist, org.reform_elsewhere, org.desk):
        with pytest.raises(NotAllowed):
            services.provision_act(actor=actor, provision=provision, action="approve",
                                   data={"decision_number": "5/QĐ",
                                         "decision_date": "2026-02-01",
                                         "effective_date": "2026-02-01"})
    with pytest.raises(NotAllowed):  # a sent proposal is no longer edited
        services.proposal_save(actor=org.specialist, provision=provision, data=COSTS)
    p = services.provision_act(actor=org.reform, provision=provision, action="return",
                               reason="Bổ sung số liệu chi phí")
    assert p.state == Provision.State.REVIEWING
    assert list(ProvisionEvent.objects.filter(provision=p).values_list("action", flat=True)) \
        == ["add", "edit", "propose", "return"]


def _approve(org, p, data):
    services.proposal_save(actor=org.specialist, provision=p, data={"reason": "Rà soát", **data})
    services.provision_act(actor=org.specialist, provision=p, action="propose")
    p = services.provision_act(actor=org.reform, provision=p, action="approve",
                               data={"decision_number": "9/QĐ", "decision_date": "2026-02-01",
                                     "effective_date": "2026-04-01"})
    return p.new_version


def _steps(org):
    from catalog.models import Step

    for i, share in enumerate([20, 60, 20], start=1):
        Step.objects.create(variant=org.variant, order=i, name=f"Bước {i}", role="specialist",
                            share_percent=Decimal(share))
    return org.variant.steps.get(order=2).pk


@pytest.mark.parametrize("kind, element, data, check", [
    ("fee", lambda org: org.fee.pk, {"action": "abolish"},
     lambda v: not v.variants.get().fees.exists()),
    ("fee", lambda org: org.fee.pk, {"action": "amend", "new_fee": "100000"},
     lambda v: v.variants.get().fees.get().amount == 100000),
    ("step", _steps, {"action": "abolish"},
     lambda v: [s.name for s in v.variants.get().steps.order_by("order")] == ["Bước 1", "Bước 3"]
     and sum(s.share_percent for s in v.variants.get().steps.all()) == pytest.approx(100)),
    ("condition", lambda org: None, {"action": "abolish"},
     lambda v: "nơi cư trú" not in v.requirements and "năng lực hành vi" in v.requirements),
    ("condition", lambda org: None, {"action": "amend", "new_text": "Có căn cước."},
     lambda v: "Có căn cước." in v.requirements and "nơi cư trú" not in v.requirements),
], ids=["fee-abolish", "fee-amend", "step-abolish", "condition-abolish", "condition-amend"])
def test_approved_fee_step_and_condition_changes_make_the_next_version(org, review_round, kind,
                                                                       element, data, check):
    """The table of docs/regulations.md beyond papers, time limits and levels: each approved
    change is in the procedure's next version, and version 1 keeps what it had."""
    p = services.provision_add(actor=org.reform, review_round=review_round, kind=kind,
                               procedure_code=org.procedure.code, element_id=element(org),
                               content="Có xác nhận của nơi cư trú." if kind == "condition"
                               else "")
    version = _approve(org, p, data)
    assert version is not None and version.version == 2
    assert check(version)
    old = Procedure.objects.get(pk=org.procedure.pk)
    assert old.variants.get().fees.get().amount == 200000
    assert "nơi cư trú" in old.requirements
