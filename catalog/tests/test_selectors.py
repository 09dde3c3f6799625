"""A variant's time limit and fees for the channel a dossier comes through."""

from decimal import Decimal

import pytest

from catalog.models import Channel, Fee, Procedure, TimeLimit, Variant
from catalog.selectors import procedure_get, variant_fees, variant_time_limit

pytestmark = pytest.mark.django_db


@pytest.fixture
def variant():
    procedure = Procedure.objects.create(code="9.000001", name="Thủ tục thử")
    return Variant.objects.create(procedure=procedure)


def _limit(variant, channel, amount, unit="working_days"):
    return TimeLimit.objects.create(variant=variant, channel=channel, amount=Decimal(amount),
                                    unit=unit)


def test_own_channel_limit_wins(variant):
    _limit(variant, Channel.COUNTER, 5)
    online = _limit(variant, Channel.ONLINE, 3)
    assert variant_time_limit(variant, Channel.ONLINE) == online


def test_falls_back_to_counter_then_to_any_limit(variant):
    counter = _limit(variant, Channel.COUNTER, 5)
    assert variant_time_limit(variant, Channel.POST) == counter
    counter.delete()
    online = _limit(variant, Channel.ONLINE, 8, "working_hours")
    assert variant_time_limit(variant, Channel.POST) == online
    online.delete()
    assert variant_time_limit(variant, Channel.POST) is None


def test_fees_per_channel_with_counter_fallback(variant):
    counter = Fee.objects.create(variant=variant, channel=Channel.COUNTER, name="Lệ phí",
                                 amount=20000)
    online = Fee.objects.create(variant=variant, channel=Channel.ONLINE, name="Lệ phí",
                                amount=10000)
    assert variant_fees(variant, Channel.ONLINE) == [online]
    assert variant_fees(variant, Channel.POST) == [counter]


def test_procedure_get_returns_the_version_in_force(variant):
    old = variant.procedure
    Procedure.objects.filter(pk=old.pk).update(is_active=False)
    new = Procedure.objects.create(code=old.code, version=2, name="Thủ tục thử (sửa)")
    assert procedure_get(old.code).pk == new.pk
    assert procedure_get("0.000000") is None
