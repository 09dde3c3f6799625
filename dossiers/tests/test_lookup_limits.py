"""Issues #16 and #17: the lookup's secret stays out of URLs, wrong tries are limited per code and
per address in the database (one budget for the lookup and the evaluation page, across worker
processes), and the code is accepted in any letter case."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from dossiers.models import LookupFailure
from dossiers.services.lookup import lookup_attempt
from motcua.errors import DomainError

URL = reverse("dossiers:lookup")


def _post(client, code, factor, ip="10.0.0.1"):
    return client.post(URL, {"ma": code, "bi-mat": factor}, REMOTE_ADDR=ip)


def test_a_secret_in_the_query_string_opens_nothing(client, make_dossier):
    d = make_dossier()
    page = client.get(URL, {"ma": d.code, "bi-mat": d.lookup_secret})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Được tiếp nhận" not in html and d.procedure.name not in html
    # The form is filled with the code and posts; the script that reads a QR link's fragment.
    assert 'method="post"' in html and f'value="{d.code}"' in html and "lookup.js" in html


def test_the_code_is_accepted_in_any_letter_case(client, make_dossier):
    d = make_dossier()
    page = _post(client, d.code.lower(), d.lookup_secret.lower())
    assert page.status_code == 200 and "Được tiếp nhận" in page.content.decode()
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in "2333")
    assert _post(client, f"  {d.code.lower()} ", full_width).status_code == 200


def test_phone_digits_are_limited_per_code_but_the_secret_still_works(client, make_dossier,
                                                                     settings):
    d = make_dossier()
    # Five guessers, each from its own address: the code's budget for phone digits is spent.
    for guess in range(settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE):
        assert _post(client, d.code, f"{guess:04d}", ip=f"10.1.0.{guess}").status_code == 404
    refused = _post(client, d.code, "2333", ip="10.2.0.1")
    assert refused.status_code == 429 and "mã bí mật 8 ký tự" in refused.content.decode()
    # The owner with the receipt is not locked out, and another dossier is not affected.
    assert _post(client, d.code, d.lookup_secret, ip="10.2.0.1").status_code == 200
    other = make_dossier()
    assert _post(client, other.code, "2333", ip="10.2.0.1").status_code == 200


def test_an_address_is_limited_but_a_shared_one_is_not_locked_by_a_few_typos(
        client, make_dossier, settings):
    settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS = 8
    d = make_dossier()
    # People behind one NAT mistype a few times: the others still get through.
    for _ in range(5):
        assert _post(client, d.code, "WRONG999").status_code == 404
    assert _post(client, d.code, d.lookup_secret).status_code == 200
    # One guesser from that address spends the budget: the address is refused for a while.
    for n in range(3):
        assert _post(client, f"000.00.12.H99-260302-{n:04d}", "WRONG999").status_code == 404
    locked = _post(client, d.code, d.lookup_secret)
    assert locked.status_code == 429 and "địa chỉ mạng" in locked.content.decode()
    assert _post(client, d.code, d.lookup_secret, ip="10.9.9.9").status_code == 200


def test_the_lookup_and_the_evaluation_page_share_one_budget(client, make_dossier, settings):
    settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS = 4
    d = make_dossier()
    evaluation = reverse("evaluations:online", args=[d.code])
    for _ in range(2):
        assert _post(client, d.code, "WRONG999").status_code == 404
        assert client.post(evaluation, {"bi-mat": "WRONG999"},
                           REMOTE_ADDR="10.0.0.1").status_code == 404
    assert _post(client, d.code, d.lookup_secret).status_code == 429
    assert client.post(evaluation, {"bi-mat": d.lookup_secret},
                       REMOTE_ADDR="10.0.0.1").status_code == 429


def test_failures_are_rows_in_the_database_and_old_ones_go(make_dossier, settings):
    from datetime import timedelta

    from django.utils import timezone

    d = make_dossier()
    old = timezone.now() - timedelta(seconds=settings.MOTCUA_LOOKUP_WINDOW_SECONDS + 60)
    LookupFailure.objects.create(scope="address", key="10.0.0.1", at=old)
    with pytest.raises(DomainError) as refused:
        lookup_attempt(code=d.code, factor="0000", address="10.0.0.1")
    assert refused.value.http_status == 404
    assert set(LookupFailure.objects.values_list("scope", "key")) == {
        ("address", "10.0.0.1"), ("code", d.code)}
    lookup_attempt(code=d.code, factor=d.lookup_secret, address="10.0.0.1")
    assert LookupFailure.objects.count() == 2  # a success leaves no row


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_from_many_workers_stay_within_the_budget(org, make_dossier,
                                                                    settings):
    """Each thread has its own database connection, like a gunicorn worker: the count is
    shared through the database, so 4 × 10 guesses at once still get at most the budget."""
    settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS = 1000
    d = make_dossier()
    answers: list[int] = []

    def guess(worker: int) -> None:
        try:
            for n in range(10):
                try:
                    lookup_attempt(code=d.code, factor=f"{worker}{n:03d}",
                                   address=f"10.5.{worker}.1")
                    answers.append(200)
                except DomainError as error:
                    answers.append(error.http_status)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers.count(404) <= settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE
    assert answers.count(429) >= 40 - settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE


def test_form01_qr_and_the_sms_link_carry_the_secret_in_the_fragment(make_dossier, settings):
    from notifications.messages import lookup_link

    d = make_dossier()
    settings.MOTCUA_SITE_URL = "https://motcua.example.vn"
    assert lookup_link(d) == (f"https://motcua.example.vn/tra-cuu/?ma={d.code}"
                              f"#bi-mat={d.lookup_secret}")


def test_the_session_remembers_a_proven_code_for_the_evaluation_link(make_dossier):
    client = Client()
    d = make_dossier()
    _post(client, d.code, d.lookup_secret)
    evaluation = reverse("evaluations:online", args=[d.code])
    # Not returned yet, so not open for evaluation (409) — but no longer "not found" (404).
    assert client.get(evaluation).status_code == 409
    assert Client().get(evaluation).status_code == 404
