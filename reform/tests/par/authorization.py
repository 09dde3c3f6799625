"""The PAR Index and SIPAS objects the authorization walk (motcua/tests/test_authorization.py)
needs: built once per World on first use, with their rightful principals set on it."""

from datetime import date

from accounts.models import Membership, Role, Unit
from dossiers.tests import files
from dossiers.tests.conftest import _user
from metrics.periods import Period
from reform.par.importer import criteria_import
from reform.par.services import round_open, score_declare
from reform.sipas.questions import version_default
from reform.sipas.services import survey_create
from reform.tests.par.conftest import CRITERIA_FILE


def par(w) -> dict:
    """A round over the department, its assessment and a score; w.par_officer fills it,
    w.organiser (Sở Nội vụ's CCHC officer, also at the province) reads the SIPAS round."""
    if "par" in w.extra:
        return w.extra["par"]
    dept = w.returned.competent_unit
    province = dept.parent
    home = Unit.objects.create(code="000.00.18.H99", name="Sở Nội vụ", kind=Unit.Kind.DEPARTMENT,
                               parent=province)
    w.organiser = _user("cchc.snv", home, Role.REFORM)
    Membership.objects.create(user=w.organiser, unit=province, role=Role.REFORM)
    # The organiser is the unit with the appraisal team (reform.par.access).
    _user("thamdinh.snv", home, Role.APPRAISER)
    w.par_officer = _user("cchc.dept", dept, Role.REFORM)
    crit = criteria_import(CRITERIA_FILE.read_bytes())
    r = round_open(actor=w.organiser, criteria_set=crit, organiser=home, name="Đợt thử",
                   period=Period("nam", 2026), self_deadline=date(2099, 12, 31), units=[dept])
    a = r.assessments.get()
    evidence = score_declare(score=a.scores.get(criterion__code="1.3"), actor=w.par_officer,
                             value="yes", files=[("bao-cao.pdf", files.PDF)])

    survey = survey_create(actor=w.organiser, version=version_default(2026), organiser=province,
                           name="SIPAS", returned_from=date(2026, 1, 1),
                           returned_to=date(2026, 12, 31), sample_size=1,
                           closes_on=date(2099, 12, 31))
    w.extra["par"] = {"round": r, "assessment": a, "evidence": evidence.files.get(),
                      "score": a.scores.get(criterion__code="1.1"), "survey": survey}
    return w.extra["par"]
