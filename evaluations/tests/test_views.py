"""The evaluation pages and API: online with the lookup's factor or as the owner, the kiosk,
the heads' follow-up list, and the link from the public lookup."""

from django.test import Client
from django.urls import reverse

from evaluations.models import Evaluation, FollowUp
from evaluations.tests.conftest import answers


def _online(code: str) -> str:
    return reverse("evaluations:online", args=[code])


def test_lookup_result_links_to_the_evaluation_without_its_factor(org, returned, client):
    page = client.post(reverse("dossiers:lookup"),
                       {"ma": returned.code, "bi-mat": returned.lookup_secret})
    html = page.content.decode()
    assert "Đánh giá mức độ hài lòng" in html
    # The secret stays out of the link: the session remembers the proof.
    assert f'href="{_online(returned.code)}"' in html and returned.lookup_secret not in html
    assert client.get(_online(returned.code)).status_code == 200


def test_online_with_the_lookup_secret(org, returned, client):
    url = _online(returned.code)
    asked = client.get(url)
    assert asked.status_code == 404 and 'name="bi-mat"' in asked.content.decode()
    proven = client.post(url, {"bi-mat": returned.lookup_secret})
    assert proven.status_code == 302 and proven["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "Tổng thời gian giải quyết hồ sơ so với thời gian quy định" in html
    assert 'type="radio"' in html and "<legend" in html  # labelled radio groups

    incomplete = client.post(url, {"attitude": 2})
    assert incomplete.status_code == 422 and not Evaluation.objects.exists()

    done = client.post(url, answers(), follow=True)
    assert done.redirect_chain[0][0] == url
    html = done.content.decode()
    assert "Cảm ơn ông/bà đã đánh giá" in html and "18/18" in html
    e = Evaluation.objects.get(dossier=returned)
    assert e.channel == Evaluation.Channel.ONLINE and e.submitted_by is None

    again = client.post(url, answers(0))
    assert again.status_code == 409
    assert "Hồ sơ này đã được đánh giá" in again.content.decode()
    assert Evaluation.objects.get().points == 18


def test_wrong_factor_leaks_nothing_and_is_throttled(org, returned, client, settings):
    settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS = 5
    for _ in range(5):
        page = client.post(_online(returned.code), {"bi-mat": "WRONG999"})
        assert page.status_code == 404
        assert returned.procedure.name not in page.content.decode()
    # Even the right secret is refused from this address for a while after too many wrong ones.
    locked = client.post(_online(returned.code), {"bi-mat": returned.lookup_secret})
    assert locked.status_code == 429
    # A secret in the URL is never read.
    assert client.get(_online(returned.code) + f"?bi-mat={returned.lookup_secret}"
                      ).status_code == 404


def test_the_owner_evaluates_from_their_account(org, returned, client_for):
    c = client_for(org.citizen)
    url = _online(returned.code)
    assert c.get(url).status_code == 200
    assert c.post(url, answers(1, overall="satisfied")).status_code == 302
    e = Evaluation.objects.get()
    assert e.submitted_by == org.citizen and e.points == 9
    # Someone else's account without the factor sees nothing.
    assert client_for(org.specialist).get(url).status_code == 404


def test_kiosk_at_the_counter(org, returned, client_for):
    c = client_for(org.desk)
    kiosk = reverse("evaluations:kiosk")
    start = c.get(kiosk).content.decode()
    assert returned.code in start  # the returned, not yet evaluated dossiers are offered
    form = c.get(kiosk, {"ma": returned.code})
    assert form.status_code == 200 and "Gửi đánh giá" in form.content.decode()
    done = c.post(kiosk, answers(2, overall="unsatisfied") | {"ma": returned.code}, follow=True)
    # Typed in the officer's session: kept, and the applicant is asked to confirm it (audit8).
    assert f"Xác nhận đánh giá hồ sơ {returned.code}" in done.content.decode()
    e = Evaluation.objects.get()
    assert e.channel == Evaluation.Channel.KIOSK and e.submitted_by == org.desk
    assert e.officer_entered and not e.counted
    assert c.get(kiosk, {"ma": returned.code}).status_code == 409
    # Only desk officers open the kiosk page.
    assert client_for(org.specialist).get(kiosk).status_code == 403
    assert Client().get(kiosk).status_code == 302


def test_head_sees_and_closes_follow_ups_of_their_unit(org, returned, client_for):
    client_for(org.desk).post(reverse("evaluations:kiosk"),
                              answers(0, overall="unsatisfied", comment="Chờ quá lâu")
                              | {"ma": returned.code})
    follow_up = FollowUp.objects.get()
    head = client_for(org.head)
    page = head.get(reverse("evaluations:follow_ups")).content.decode()
    # The list names the dossier; the comment shows on the follow-up's own, logged, page
    # (evaluations/tests/test_personal_reads.py).
    assert returned.code in page and "Chưa xử lý" in page and "Chờ quá lâu" not in page
    detail = head.get(reverse("evaluations:follow_up_detail", args=[follow_up.pk]))
    assert "Chờ quá lâu" in detail.content.decode()
    close = reverse("evaluations:follow_up_close", args=[follow_up.pk])
    # Another unit's head does not even see it.
    assert client_for(org.other_desk).post(close, {"note": "x"}).status_code == 404
    assert client_for(org.desk).get(reverse("evaluations:follow_ups")).status_code == 404
    head.post(close, {"note": "Đã liên hệ, xin lỗi người dân"})
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.CLOSED
    assert "Đã liên hệ" in head.get(reverse("evaluations:follow_ups")).content.decode()
    assert client_for(org.other_desk).get(
        reverse("evaluations:follow_up_detail", args=[follow_up.pk])).status_code == 404


def test_api_submit_and_read(org, returned, client_for):
    url = reverse("api:dossier-evaluation", args=[returned.code])
    owner = client_for(org.citizen)
    assert owner.get(url).status_code == 404
    bad = owner.post(url, answers() | {"attitude": 5}, content_type="application/json")
    assert bad.status_code == 400 and "attitude" in bad.json()["error"]["fields"]
    created = owner.post(url, answers(), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["points"] == 18 and body["band"] == "Tốt" and body["channel"] == "online"
    again = client_for(org.desk).post(url, answers(), content_type="application/json")
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "already_evaluated" and "đã được đánh giá" in error["message"]
    assert error["message_en"]
    assert client_for(org.head).get(url).json()["overall_rating"] == "very_satisfied"
    # Another unit's staff cannot see the dossier at all.
    assert client_for(org.other_desk).get(url).status_code == 404


def test_the_applicants_dossier_page_links_to_the_evaluation(org, returned, client_for):
    c = client_for(org.citizen)
    page = c.get(reverse("dossiers:my_detail", args=[returned.code])).content.decode()
    assert "Đánh giá mức độ hài lòng" in page and _online(returned.code) in page
    c.post(_online(returned.code), answers())
    page = c.get(reverse("dossiers:my_detail", args=[returned.code])).content.decode()
    assert "Ông/bà đã đánh giá mức độ hài lòng với hồ sơ này" in page
