"""The demo loader: one round with proposals, one approved change that made a version."""

from accounts import demo as accounts_demo
from catalog.models import Procedure
from regulations import demo, selectors
from regulations.models import Provision, ReviewRound


def test_demo_round_and_version(db):
    units = accounts_demo._units()
    accounts_demo._people(units)
    accounts_demo._procedures(units)
    counts = demo.load()
    assert counts["đợt rà soát quy định"] == 1
    review_round = ReviewRound.objects.get()
    states = sorted(review_round.provisions.values_list("state", flat=True))
    assert states == ["approved", "proposed", "reviewing"]
    approved = Provision.objects.get(state="approved")
    version = approved.new_version
    assert version.version == 2 and version.is_active
    assert not Procedure.objects.get(code=version.code, version=1).is_active
    # Counted from the demo's dossiers of the 12 months before the proposal (7 of the 8).
    assert approved.yearly_dossiers == 7
    # Dossiers filed since the change are under the new version.
    assert version.dossiers.count() == 3
    assert selectors.provision_saving(approved).saved > 0
    # The demo's returned dossiers give the change a measured effect.
    effect = selectors.provision_effect(approved)
    assert effect.before.count == 7 and effect.after.count == 2
    assert effect.after.median_days < effect.before.median_days
    assert selectors.round_summary(review_round).done == 1
    assert demo.load() == {"đợt rà soát quy định": 0}
