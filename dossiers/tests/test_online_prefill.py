"""Once-only principle online: what the account lacks comes from the population database."""

from accounts.models import User
from accounts.services.identity import identity_prove_vneid
from dossiers.services.online import ONLINE_PURPOSE, draft_start
from dossiers.tests.conftest import _user
from sync.models import PopulationLookup


def _citizen(personal_id: str, *, proven: bool = True, **fields) -> User:
    user = _user(f"cd-{personal_id}", None, kind=User.Kind.CITIZEN)
    user.personal_id = personal_id
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    if proven:
        identity_prove_vneid(user=user, personal_id=personal_id)
    return user


def test_a_typed_personal_id_looks_nobody_up(org, settings):
    # Issue #17: the population database answers only for a proven identity.
    settings.MOTCUA_POPULATION_ADAPTER = "simulator"
    user = _citizen("001085012345", proven=False)
    draft = draft_start(user=user, variant=org.variant, receiving_unit=org.centre)
    assert "address" not in draft.data["applicant"]
    assert not PopulationLookup.objects.exists()


def test_draft_takes_the_address_from_the_population_database(org, settings):
    settings.MOTCUA_POPULATION_ADAPTER = "simulator"
    user = _citizen("001085012345")
    draft = draft_start(user=user, variant=org.variant, receiving_unit=org.centre)
    applicant = draft.data["applicant"]
    assert applicant["address"] == ("Số 1 phố Thử Nghiệm, phường Hoàn Kiếm, "
                                    "Thành phố Hà Nội")
    log = PopulationLookup.objects.get()
    assert (log.user, log.personal_id, log.purpose, log.found) == (
        user, "001085012345", ONLINE_PURPOSE, True)


def test_an_address_the_account_has_is_kept_and_nothing_is_looked_up(org, settings):
    settings.MOTCUA_POPULATION_ADAPTER = "simulator"
    user = _citizen("001085012345", address="12 Trần Phú, Nha Trang")
    draft = draft_start(user=user, variant=org.variant, receiving_unit=org.centre)
    assert draft.data["applicant"]["address"] == "12 Trần Phú, Nha Trang"
    assert not PopulationLookup.objects.exists()


def test_an_unknown_citizen_types_the_address(org, settings):
    settings.MOTCUA_POPULATION_ADAPTER = "simulator"
    user = _citizen("001090099999")
    draft = draft_start(user=user, variant=org.variant, receiving_unit=org.centre)
    assert "address" not in draft.data["applicant"]
    assert PopulationLookup.objects.get().found is False
