"""The evaluation screen facing the applicant at the desk: the officer sends a returned dossier,
the screen shows its form, the answer is recorded; the screen's account opens nothing else."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role, User
from accounts.selectors import user_is_staff_member
from dossiers.selectors import dossier_visible
from evaluations.models import Evaluation, ScreenCall
from evaluations.services import screen_answer, screen_call
from evaluations.tests.conftest import answers, returned_dossier
from motcua.errors import NotAllowed

PASSWORD = "Man-hinh-quay-2026"


@pytest.fixture
def screen(org):
    user = User.objects.create_user(username="manhinh.quay1", password=PASSWORD,
                                    full_name="Màn hình quầy 1", kind=User.Kind.STAFF)
    Membership.objects.create(user=user, unit=org.centre, role=Role.SCREEN)
    return user


def _screen_client(screen) -> Client:
    c = Client()
    r = c.post(reverse("accounts:login"), {"username": screen.username, "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("evaluations:screen")
    return c


def test_the_officer_sends_a_dossier_and_the_applicant_answers_on_the_screen(
        org, returned, screen, client_for):
    tablet = _screen_client(screen)
    waiting = tablet.get(reverse("evaluations:screen")).content.decode()
    assert "mời ông/bà đánh giá" in waiting and 'hx-trigger="every 3s"' in waiting
    # Nothing sent yet: the poll answers the same waiting block.
    assert 'hx-get="/danh-gia/man-hinh/phieu/"' in tablet.get(
        reverse("evaluations:screen_poll")).content.decode()

    officer = client_for(org.desk)
    page = officer.get(reverse("evaluations:kiosk")).content.decode()
    assert "Mời đánh giá trên màn hình" in page and returned.code in page
    r = officer.post(reverse("evaluations:screen_send"), {"ma": returned.code}, follow=True)
    assert f"Đã mời người nộp hồ sơ {returned.code} đánh giá trên Màn hình quầy 1" \
        in r.content.decode()

    form = tablet.get(reverse("evaluations:screen_poll")).content.decode()
    assert returned.code in form and "Gửi đánh giá" in form and "hx-trigger" not in form
    call = ScreenCall.objects.get(screen=screen, closed_at__isnull=True)
    # An incomplete answer is shown again with the questions marked, nothing recorded.
    r = tablet.post(reverse("evaluations:screen"), {"luot": call.pk, "total_time": 2})
    assert r.status_code == 422 and "chưa đầy đủ" in r.content.decode()
    assert not Evaluation.objects.filter(dossier=returned).exists()

    # A call number past what the database holds is no call: 404, not a 500.
    r = tablet.post(reverse("evaluations:screen"), answers(2) | {"luot": "9" * 20})
    assert r.status_code == 404
    r = tablet.post(reverse("evaluations:screen"), answers(2) | {"luot": call.pk}, follow=True)
    assert "Cảm ơn ông/bà đã đánh giá" in r.content.decode()
    evaluation = Evaluation.objects.get(dossier=returned)
    # Recorded as the desk's evaluation, in the name of the officer who sent it.
    assert (evaluation.channel, evaluation.submitted_by) == ("kiosk", org.desk)
    call.refresh_from_db()
    assert call.outcome == "answered" and call.closed_at is not None
    again = tablet.get(reverse("evaluations:screen_poll")).content.decode()
    assert 'hx-trigger="every 3s"' in again


def test_the_applicant_may_decline_and_a_new_dossier_replaces_the_form(
        org, make_dossier, returned, screen, client_for):
    other = returned_dossier(org, make_dossier, day="2026-03-03")
    first = screen_call(officer=org.desk, screen=screen, dossier=returned)
    second = screen_call(officer=org.desk, screen=screen, dossier=other)
    first.refresh_from_db()
    assert first.outcome == "replaced"
    # The form left on the screen is no longer valid: its answer is refused, nothing recorded.
    with pytest.raises(NotAllowed, match="không còn hiệu lực"):
        screen_answer(screen=screen, call_id=first.pk, answers=answers(2))
    assert not Evaluation.objects.exists()
    tablet = _screen_client(screen)
    r = tablet.post(reverse("evaluations:screen"), {"luot": second.pk, "tu-choi": "1"})
    assert r.status_code == 302
    second.refresh_from_db()
    assert second.outcome == "declined" and not Evaluation.objects.exists()
    # The dossier can still be evaluated later (online, or sent again).
    screen_call(officer=org.desk, screen=screen, dossier=other)


def test_only_the_desk_of_the_receiving_unit_may_send_to_its_screen(org, returned, screen):
    with pytest.raises(NotAllowed):
        screen_call(officer=org.specialist, screen=screen, dossier=returned)
    elsewhere = User.objects.create_user(username="manhinh.xa", kind=User.Kind.STAFF)
    Membership.objects.create(user=elsewhere, unit=org.other, role=Role.SCREEN)
    with pytest.raises(NotAllowed, match="không thuộc bộ phận một cửa"):
        screen_call(officer=org.desk, screen=elsewhere, dossier=returned)
    Evaluation.objects.create(dossier=returned, unit=org.dept, channel="online",
                              **{k: v for k, v in answers(2).items()})
    with pytest.raises(NotAllowed, match="đã được đánh giá"):
        screen_call(officer=org.desk, screen=screen, dossier=returned)


def test_the_screen_account_opens_nothing_else(org, returned, screen):
    tablet = _screen_client(screen)
    # Every other page sends it back to the screen: no inbox, no dossier, no catalogue.
    for url in (reverse("dossiers:inbox"), f"/ho-so/{returned.code}/", "/thu-tuc/",
                reverse("accounts:profile"), "/admin/"):
        r = tablet.get(url)
        assert r.status_code == 302 and r["Location"] == reverse("evaluations:screen"), url
    # And its membership is not a staff role anywhere (API tokens included).
    assert not user_is_staff_member(screen) and not dossier_visible(screen).exists()
    # Staff do not get the screen.
    assert Client().get(reverse("evaluations:screen")).status_code == 302
    officer = Client()
    officer.force_login(org.desk)
    assert officer.get(reverse("evaluations:screen")).status_code == 403
    assert tablet.post(reverse("accounts:logout")).status_code == 302
