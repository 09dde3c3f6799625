"""Dossier codes: format, per-unit daily counter, uniqueness and no gaps under concurrency."""

import pytest
from django.db import connection

from dossiers.codes import dossier_code_generate
from dossiers.models import Dossier
from dossiers.tests.conftest import APPLICANT, at
from motcua.testing import at_once


@pytest.mark.django_db
def test_default_code_is_unit_date_counter(org, make_dossier):
    a = make_dossier(accept=False, when="2026-03-05 09:00")
    b = make_dossier(accept=False, when="2026-03-05 16:00")
    c = make_dossier(accept=False, when="2026-03-06 08:00")
    assert (a.code, b.code, c.code) == ("000.00.12.H99-260305-0001", "000.00.12.H99-260305-0002",
                                        "000.00.12.H99-260306-0001")


@pytest.mark.django_db
def test_the_day_is_the_vietnamese_day(org, make_dossier):
    # 23:30 UTC on 4 March is 06:30 on 5 March in Hà Nội.
    from datetime import UTC, datetime

    code = dossier_code_generate(unit=org.centre, at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC))
    assert code == "000.00.12.H99-260305-0001"


@pytest.mark.django_db
def test_a_rolled_back_submission_leaves_no_gap(org, make_dossier):
    from motcua.errors import DomainError

    make_dossier(accept=False)
    with pytest.raises(DomainError):
        # Accepting without the mandatory papers fails inside the creating transaction.
        from dossiers.services import dossier_create

        dossier_create(actor=org.desk, variant=org.variant, channel=1, receiving_unit=org.centre,
                       applicant=APPLICANT, documents=[], accept=True, at=at("2026-03-02 09:05"))
    second = make_dossier(accept=False)
    assert second.code.endswith("-0002")


@pytest.mark.django_db(transaction=True)
def test_codes_stay_unique_and_gap_free_under_concurrent_submissions(org):
    from dossiers.services import dossier_create

    threads, per_thread = 8, 6

    def submit():
        for _ in range(per_thread):
            dossier_create(actor=org.desk, variant=org.variant, channel=1,
                           receiving_unit=org.centre, applicant=APPLICANT,
                           at=at("2026-03-02 09:00"))

    errors = at_once([submit] * threads)
    assert errors == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    expected = [f"000.00.12.H99-260302-{n:04d}" for n in range(1, threads * per_thread + 1)]
    assert codes == expected
    assert connection.vendor in ("postgresql", "sqlite")


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_dossier_and_take_one_number(org):
    """The Idempotency-Key is recorded by the statement that takes the ids (PostgreSQL): the
    retries wait on the key's unique index for the first, then answer its dossier; their own
    transactions roll back with the numbers they took, so the next dossier follows at once."""
    from dossiers.services import dossier_create

    threads, answers = 6, []

    def submit():
        answers.append(dossier_create(
            actor=org.desk, variant=org.variant, channel=1, receiving_unit=org.centre,
            applicant=APPLICANT, idempotency_key="k-same", at=at("2026-03-02 09:00")))

    errors = at_once([submit] * threads)
    assert errors == []
    assert sorted(created for _, created in answers) == [False] * (threads - 1) + [True]
    assert {dossier.code for dossier, _ in answers} == {"000.00.12.H99-260302-0001"}
    assert Dossier.objects.count() == 1
    following = dossier_create(actor=org.desk, variant=org.variant, channel=1,
                               receiving_unit=org.centre, applicant=APPLICANT,
                               at=at("2026-03-02 09:05"))[0]
    assert following.code == "000.00.12.H99-260302-0002"
