"""Who may change the catalogue through an approval (audit7): running a round is not enough.

Every unit has CCHC officers (Role.REFORM) and may run a review round of its own, listing any
procedure. Until audit7 such an officer could approve, in their own round, the removal of another
department's paper or fee and so make that procedure's next version for the whole province.
"""

import pytest

from accounts.models import Role
from catalog.models import Procedure
from motcua.errors import NotAllowed
from regulations import services
from regulations.models import Provision

from .conftest import _user

DECISION = {"decision_number": "7/QĐ-SXD", "decision_date": "2026-02-01",
            "effective_date": "2026-03-01"}
ABOLISH = {"action": "abolish", "reason": "Không cần thiết."}


def _proposed_in_own_round(officer, unit, procedure, element):
    review_round = services.round_create(actor=officer, name="Rà soát của sở", unit=unit,
                                         start_date="2026-01-01", end_date="2026-12-31")
    p = services.provision_add(actor=officer, review_round=review_round, kind="document",
                               procedure_code=procedure.code, element_id=element.pk, unit=unit)
    services.proposal_save(actor=officer, provision=p, data=ABOLISH)
    return services.provision_act(actor=officer, provision=p, action="propose")


def test_a_departments_officer_does_not_change_another_departments_procedure(org):
    # Sở Xây dựng's own CCHC officer; the procedure is Sở Tư pháp's.
    officer = _user("caicach.xd", org.other, Role.REFORM)
    p = _proposed_in_own_round(officer, org.other, org.procedure, org.doc_residence)
    with pytest.raises(NotAllowed) as refused:
        services.provision_act(actor=officer, provision=p, action="approve", data=DECISION)
    assert refused.value.http_status == 403
    assert Procedure.objects.filter(code=org.procedure.code).count() == 1
    p.refresh_from_db()
    assert p.state == Provision.State.PROPOSED and p.new_version_id is None
    assert not p.events.filter(action="approve").exists()
    # What changes nothing in the catalogue stays the round's own decision.
    kept = services.provision_add(actor=officer, review_round=p.round, kind="document",
                                  procedure_code=org.procedure.code,
                                  element_id=org.doc_form.pk, unit=org.other)
    services.proposal_save(actor=officer, provision=kept,
                           data={"action": "keep", "reason": "Cần thiết."})
    services.provision_act(actor=officer, provision=kept, action="propose")
    kept = services.provision_act(actor=officer, provision=kept, action="approve",
                                  data=DECISION)
    assert kept.state == Provision.State.APPROVED and kept.new_version_id is None
    # The competent unit's own officer, and the province's above both, approve such a change.
    own = _proposed_in_own_round(_user("caicach.tp", org.dept, Role.REFORM), org.dept,
                                 org.procedure, org.doc_form)
    own = services.provision_act(actor=own.created_by, provision=own, action="approve",
                                 data=DECISION)
    assert own.new_version_id is not None
    p = services.provision_act(actor=org.reform, provision=p, action="approve", data=DECISION)
    assert p.new_version_id is not None


def test_a_procedure_of_no_unit_changes_only_by_the_provinces_officer(org):
    # The communes' shared procedures name no competent unit: a change applies to every commune.
    org.procedure.competent_unit = None
    org.procedure.save(update_fields=["competent_unit"])
    officer = _user("caicach.tp", org.dept, Role.REFORM)
    p = _proposed_in_own_round(officer, org.dept, org.procedure, org.doc_residence)
    with pytest.raises(NotAllowed):
        services.provision_act(actor=officer, provision=p, action="approve", data=DECISION)
    assert Procedure.objects.filter(code=org.procedure.code).count() == 1
    p = services.provision_act(actor=org.reform, provision=p, action="approve", data=DECISION)
    assert p.new_version.version == 2
