"""A province with a Home Affairs officer, two departments with their staff, and a 2026 plan."""

from datetime import date

import pytest

from accounts.models import Role, Unit
from dossiers.tests.conftest import _user
from reform.models import Area
from reform.services.plans import plan_create, task_add


class World:
    pass


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_SMS_URL = ""
    w = World()
    w.province = Unit.objects.create(code="000.00.00.H99", name="UBND tỉnh Thử nghiệm",
                                     short_name="UBND tỉnh", kind=Unit.Kind.PROVINCE)
    w.home = Unit.objects.create(code="000.00.10.H99", name="Sở Nội vụ tỉnh Thử nghiệm",
                                 short_name="Sở Nội vụ", kind=Unit.Kind.DEPARTMENT,
                                 parent=w.province)
    w.justice = Unit.objects.create(code="000.00.15.H99", name="Sở Tư pháp tỉnh Thử nghiệm",
                                    short_name="Sở Tư pháp", kind=Unit.Kind.DEPARTMENT,
                                    parent=w.province)
    w.finance = Unit.objects.create(code="000.00.16.H99", name="Sở Tài chính tỉnh Thử nghiệm",
                                    short_name="Sở Tài chính", kind=Unit.Kind.DEPARTMENT,
                                    parent=w.province)
    w.officer = _user("noivu", w.home, Role.REFORM)
    w.leader = _user("chutich", w.province, Role.HEAD)
    w.justice_staff = _user("tuphap", w.justice, Role.SPECIALIST)
    w.justice_head = _user("tuphap.lanhdao", w.justice, Role.HEAD)
    w.finance_staff = _user("taichinh", w.finance, Role.SPECIALIST)
    w.plan = plan_create(actor=w.officer, unit=w.province, year=2026,
                         title="Kế hoạch cải cách hành chính năm 2026",
                         decision_number="123/QĐ-UBND", decision_date=date(2026, 1, 10))
    w.justice_task = task_add(actor=w.officer, plan=w.plan, area=Area.PROCEDURES,
                              title="Rà soát, đơn giản hóa thủ tục hành chính",
                              lead_unit=w.justice, number="1", deadline=date(2026, 6, 30))
    w.finance_task = task_add(actor=w.officer, plan=w.plan, area=Area.PUBLIC_FINANCE,
                              title="Giao quyền tự chủ tài chính cho đơn vị sự nghiệp",
                              lead_unit=w.finance, number="2", deadline=date(2026, 9, 30))
    return w


@pytest.fixture
def settings_tmp_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return settings
