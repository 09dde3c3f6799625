"""The PAR Index and SIPAS tests' organisation: the metrics tests' province and hand-checked
month of dossiers, plus a Department of Home Affairs with its CCHC officer and appraiser, and
the assessed department's CCHC officer."""

from datetime import date

import pytest

from accounts.models import Role, Unit
from dossiers.tests.conftest import _user, at
from metrics.periods import Period
from metrics.tests import conftest as metric_fixtures
from reform.par.importer import SHIPPED_DEPARTMENT_SET, criteria_import
from reform.par.services import round_open

org = metric_fixtures.org
make_dossier = metric_fixtures.make_dossier
commune = metric_fixtures.commune
month = metric_fixtures.month
_only_metrics_consumer = metric_fixtures._only_metrics_consumer

CRITERIA_FILE = SHIPPED_DEPARTMENT_SET
NOW = at("2026-04-02 09:00")


@pytest.fixture
def home(org):
    """Sở Nội vụ: the organiser; its CCHC officer and an appraiser; the department's officer."""
    org.home = Unit.objects.create(code="000.00.18.H99", name="Sở Nội vụ tỉnh Thử nghiệm",
                                   kind=Unit.Kind.DEPARTMENT, parent=org.province)
    org.reform_officer = _user("canbo.cchc", org.home, Role.REFORM)
    org.appraiser = _user("thamdinh", org.home, Role.APPRAISER)
    org.dept_officer = _user("cchc.sotuphap", org.dept, Role.REFORM)
    org.other_officer = _user("cchc.xa", org.other, Role.REFORM)
    return org


@pytest.fixture
def criteria(db):
    return criteria_import(CRITERIA_FILE.read_bytes(), source_name=CRITERIA_FILE.name)


@pytest.fixture
def par_round(home, criteria):
    return round_open(actor=home.reform_officer, criteria_set=criteria, organiser=home.home,
                      name="Chỉ số CCHC năm 2026", period=Period("quy", 2026, 1),
                      # Far ahead, as tests/par/authorization.py has it: the pages weigh the
                      # deadline against the real today, and a fixed day in 2026 refused every
                      # score saved from 1 January 2027 on.
                      self_deadline=date(2099, 12, 31),
                      units=[home.dept, home.other], now=NOW)
