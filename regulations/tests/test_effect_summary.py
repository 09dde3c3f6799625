"""The measured effect of a change on real dossiers, and the summaries against Resolution 68."""

from datetime import date, timedelta

import pytest

from dossiers.models import Dossier, State, Timing
from regulations import selectors, services
from regulations.models import Provision

from .conftest import at
from .test_services import COSTS

EFFECTIVE = "2026-03-10"


def _settle(dossier: Dossier, received: str, days: float, timing: str) -> None:
    """Hand-built: received at `received`, returned `days` later with `timing`."""
    start = at(received)
    Dossier.objects.filter(pk=dossier.pk).update(
        state=State.RETURNED, received_at=start, returned_at=start + timedelta(days=days),
        timing=timing)


@pytest.fixture
def approved(org):
    r = services.round_create(actor=org.reform, name="Đợt 1", unit=org.province,
                              start_date="2026-01-01", end_date="2026-06-30")
    p = services.provision_add(actor=org.reform, review_round=r, kind="document",
                               procedure_code=org.procedure.code,
                               element_id=org.doc_residence.pk)
    services.proposal_save(actor=org.specialist, provision=p, data=COSTS)
    services.provision_act(actor=org.specialist, provision=p, action="propose",
                           at=at("2026-02-01 09:00"))
    return services.provision_act(actor=org.reform, provision=p, action="approve",
                                  data={"decision_number": "123/QĐ-UBND",
                                        "decision_date": "2026-02-20",
                                        "effective_date": EFFECTIVE},
                                  at=at("2026-02-21 09:00"))


def test_effect_before_and_after_on_hand_built_dossiers(org, approved, file_dossier):
    # Before: 3 dossiers under version 1, medians 4, 6, 11 days; one late of three.
    for when, days, timing in (("2025-12-01 08:00", 4, Timing.EARLY),
                               ("2026-01-05 08:00", 6, Timing.ON_TIME),
                               ("2026-02-02 08:00", 11, Timing.LATE)):
        _settle(file_dossier(when), when, days, timing)
    # A dossier under version 1 returned after the date still counts "before" (its version).
    old = file_dossier("2026-03-09 08:00")
    _settle(old, "2026-03-09 08:00", 3, Timing.LATE)
    # After: 2 dossiers under version 2, 2 and 3 days, both on time.
    for when, days in (("2026-03-10 08:00", 2), ("2026-03-16 08:00", 3)):
        _settle(file_dossier(when), when, days, Timing.ON_TIME)
    # Not settled: not measured.
    file_dossier("2026-03-20 08:00")
    effect = selectors.provision_effect(approved, today=date(2026, 4, 30))
    assert effect.before.count == 3 and effect.before.median_days == 6
    assert effect.before.on_time_percent == pytest.approx(66.7)
    assert effect.after.count == 2 and effect.after.median_days == 2.5
    assert effect.after.on_time_percent == 100
    assert effect.median_change == -3.5 and effect.on_time_change == pytest.approx(33.3)


def test_no_effect_before_the_date(approved):
    assert selectors.provision_effect(approved, today=date(2026, 3, 9)) is None
    assert selectors.provision_effect(approved, today=date(2026, 3, 10)) is not None


def test_round_and_period_summary_against_the_20_percent_target(org, approved):
    r = approved.round
    keep = services.provision_add(actor=org.specialist, review_round=r, kind="fee",
                                  procedure_code=org.procedure.code, element_id=org.fee.pk)
    services.proposal_save(actor=org.specialist, provision=keep,
                           data={"action": "keep", "reason": "Phù hợp",
                                 "hourly_cost": "25000", "hours_before": "1"})
    services.provision_act(actor=org.specialist, provision=keep, action="propose")
    services.provision_add(actor=org.specialist, review_round=r, kind="condition",
                           procedure_code=org.procedure.code,
                           content="Có xác nhận của nơi cư trú.")
    # Costs only count with a yearly volume; give the approved one its count by hand.
    Provision.objects.filter(pk=approved.pk).update(yearly_dossiers=100)
    Provision.objects.filter(pk=keep.pk).update(yearly_dossiers=100)
    s = selectors.round_summary(r, as_of=date(2026, 3, 1))
    assert (s.reviewed, s.proposed, s.approved, s.done) == (3, 1, 1, 0)
    # Before: (6×25,000 + 20,000)×100 = 17,000,000 and the fee 200,000 + 25,000 = 225,000 × 100
    assert s.cost_before == 17_000_000 + 22_500_000
    assert s.cost_saved == 12_000_000  # (170,000 − 50,000) × 100
    assert s.cut_percent == pytest.approx(33.3) and s.cut_target_met
    assert s.cost_saved_percent == pytest.approx(30.4) and s.cost_target_met
    assert selectors.round_summary(r, as_of=date(2026, 3, 10)).done == 1
    period = selectors.period_summary(start=date(2026, 1, 1), end=date(2026, 12, 31),
                                      as_of=date(2026, 4, 1))
    assert period.done == 1 and period.reviewed == 3 and len(period.rounds) == 1
    assert selectors.period_summary(start=date(2025, 1, 1), end=date(2025, 12, 31)).reviewed == 0


def test_target_is_a_setting(org, approved, settings):
    services.provision_add(actor=org.specialist, review_round=approved.round, kind="procedure",
                           procedure_code=org.procedure.code)
    assert selectors.round_summary(approved.round).cut_target_met  # 1 of 2: 50 % ≥ 20 %
    settings.MOTCUA_REGULATIONS_TARGET_PERCENT = 60
    s = selectors.round_summary(approved.round)
    assert s.target_percent == 60 and s.cut_percent == 50 and not s.cut_target_met
