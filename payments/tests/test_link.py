"""The payment page's link is a capability URL (payments/services/link.py): it opens one payment
for PAYMENT_LINK_LIFETIME, then says in Vietnamese how to get a new one, which the lookup (code
and secret, the SMS link) issues; it shows no more of the applicant than the payment needs."""

from datetime import timedelta

from django.db import connection
from django.template import Context, RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.tests.conftest import APPLICANT
from payments.models import Payment
from payments.services import PAYMENT_LINK_LIFETIME, payment_link_issue


def _expire(payment: Payment) -> None:
    Payment.objects.filter(pk=payment.pk).update(
        link_expires_at=timezone.now() - timedelta(seconds=1))


def test_a_new_demands_link_opens_its_page_for_the_lifetime(client, awaiting):
    _, payment = awaiting()
    left = payment.link_expires_at - timezone.now()
    assert PAYMENT_LINK_LIFETIME - timedelta(minutes=5) < left <= PAYMENT_LINK_LIFETIME
    page = client.get(f"/thanh-toan/{payment.public_token}/")
    assert page.status_code == 200
    # The fee only: nothing of the applicant's identity, address or contact.
    html = page.content.decode()
    for personal in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"],
                     APPLICANT["address"]):
        assert personal and personal not in html, personal


def test_an_expired_link_says_how_to_get_a_new_one_and_shows_nothing(client, awaiting):
    dossier, payment = awaiting()
    _expire(payment)
    for method, url in (("get", f"/thanh-toan/{payment.public_token}/"),
                        ("post", f"/thanh-toan/{payment.public_token}/cong-thanh-toan/"),
                        ("get", f"/thanh-toan/{payment.public_token}/bien-lai.pdf")):
        answer = getattr(client, method)(url)
        assert answer.status_code == 410, url
        assert answer["Cache-Control"] == "no-store"
        html = answer.content.decode()
        assert "Đường dẫn thanh toán đã hết hạn" in html
        assert "mã hồ sơ cùng mã bí mật" in html and 'href="/tra-cuu/"' in html
        for hidden in (payment.reference, dossier.code, "205.000", "0071000123456"):
            assert hidden not in html, hidden
    payment.refresh_from_db()
    assert payment.state == "created" and payment.events.count() == 1


def test_the_lookup_issues_a_new_link_and_the_old_one_opens_nothing(client, awaiting):
    dossier, payment = awaiting()
    old = payment.public_token
    # More than half its life left: the lookup links the same page.
    page = client.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": dossier.lookup_secret})
    assert f"/thanh-toan/{old}/" in page.content.decode()
    _expire(payment)
    page = client.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": dossier.lookup_secret})
    payment.refresh_from_db()
    new = payment.public_token
    assert new != old and f"/thanh-toan/{new}/" in page.content.decode()
    assert payment.link_expires_at > timezone.now() + PAYMENT_LINK_LIFETIME / 2
    assert client.get(f"/thanh-toan/{new}/").status_code == 200
    assert client.get(f"/thanh-toan/{old}/").status_code == 404
    # A wrong secret renews nothing.
    client.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": "SAIMATMA"})
    payment.refresh_from_db()
    assert payment.public_token == new


def test_a_link_opens_its_own_payment_only(client, awaiting):
    first_dossier, first = awaiting()
    _, second = awaiting()
    page = client.get(f"/thanh-toan/{first.public_token}/").content.decode()
    assert first.reference in page and second.reference not in page
    assert first_dossier.code in page


def test_the_officers_panel_links_a_page_that_opens(client, awaiting, client_for, org):
    """The officer shows the applicant's payment page at the desk: a link that has run out is
    renewed when the dossier's page is opened, as the lookup renews it."""
    dossier, payment = awaiting()
    _expire(payment)
    page = client_for(org.desk).get(f"/ho-so/{dossier.code}/").content.decode()
    payment.refresh_from_db()
    assert payment.link_expires_at > timezone.now()
    assert f"/thanh-toan/{payment.public_token}/" in page
    assert client.get(f"/thanh-toan/{payment.public_token}/").status_code == 200


def test_the_payment_tags_only_read(rf, awaiting, org):
    """A template only reads: the lookup's and the dossier page's views renew a link that has
    run out (payments/consumers.py), the tags that show it write nothing, whoever renders them."""
    dossier, payment = awaiting()
    _expire(payment)
    request = rf.get("/")
    request.user = org.desk
    lookup = Template("{% load payments_tags %}{% payment_for_lookup code as payment %}"
                      "{{ payment.public_token }}")
    panel = Template("{% load payments_tags %}{% payment_staff_panel dossier %}")
    with CaptureQueriesContext(connection) as queries:
        shown = lookup.render(Context({"code": dossier.code}))
        html = panel.render(RequestContext(request, {"dossier": dossier}))
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []
    assert shown == payment.public_token and payment.reference in html
    assert Payment.objects.get(pk=payment.pk).public_token == payment.public_token


def test_two_pages_renewing_at_once_link_the_same_token(awaiting):
    """The applicant's lookup and the officer's page open together, each with the expired
    payment read: the second to renew must link the first one's token, not end it."""
    _, payment = awaiting()
    _expire(payment)
    first, second = Payment.objects.get(pk=payment.pk), Payment.objects.get(pk=payment.pk)
    token = payment_link_issue(first)
    assert payment_link_issue(second) == token != payment.public_token
    assert Payment.objects.get(pk=payment.pk).public_token == token
