"""Staff reading an evaluation through the API read the applicant's comment, which the admin's
page of the evaluation already logs as a read of the dossier's owner (audit7): the API's answer
was neither logged nor guarded against a request another site made the browser send."""

from rest_framework.test import APIClient

from accounts.models import PersonalDataAccess
from evaluations.models import Evaluation
from evaluations.services import evaluation_submit

from .conftest import answers

COMMENT = "Tôi là Trần Thị Bích, 0914 222 333, cán bộ hướng dẫn rất tận tình."
CROSS_SITE = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_SEC_FETCH_MODE": "navigate",
              "HTTP_SEC_FETCH_DEST": "document"}


def _evaluated(org, returned):
    evaluation_submit(dossier=returned, answers=answers(comment=COMMENT),
                      channel=Evaluation.Channel.ONLINE, actor=org.citizen)
    return f"/api/v1/dossiers/{returned.code}/evaluation/"


def test_staff_reading_the_comment_is_logged(org, returned):
    url = _evaluated(org, returned)
    api = APIClient()
    api.force_authenticate(org.specialist)
    r = api.get(url)
    assert r.status_code == 200 and r.json()["comment"] == COMMENT
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.reference, read.action) == (
        org.specialist, returned.code, PersonalDataAccess.Action.DOSSIER_OPEN)
    assert read.subject == "056185004321"
    # The applicant reading their own evaluation is not logged.
    own = APIClient()
    own.force_authenticate(org.citizen)
    assert own.get(url).status_code == 200
    assert PersonalDataAccess.objects.count() == 1


def test_a_request_another_site_started_reads_nothing(org, returned, client_for):
    url = _evaluated(org, returned)
    browser = client_for(org.specialist)
    r = browser.get(url, **CROSS_SITE)
    assert r.status_code == 403 and COMMENT not in r.content.decode()
    assert not PersonalDataAccess.objects.exists()
    # The applicant's own browser is not asked: nothing of theirs is logged.
    assert client_for(org.citizen).get(url, **CROSS_SITE).status_code == 200


def test_a_second_person_gets_404_and_nothing_is_logged(org, returned):
    # Another unit's officer and another citizen: the same answer as for a code that does not
    # exist, and no read of the applicant recorded in their name.
    from dossiers.tests.conftest import _user

    url = _evaluated(org, returned)
    stranger = _user("congdan.khac", None, kind=org.citizen.kind)
    for who in (org.other_desk, stranger):
        api = APIClient()
        api.force_authenticate(who)
        r = api.get(url)
        assert r.status_code == 404 and COMMENT not in r.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_heads_list_shows_no_comment_and_opening_one_is_logged(org, returned, client_for):
    """audit8: the heads' follow-up list showed every unsatisfied evaluation's comment (the
    applicant's words) with no log row. Now the list names the dossiers only, as the other work
    lists do, and the comment shows on the follow-up's own page, whose opening is logged as a
    read of the dossier's owner, guarded against another site's request."""
    from django.urls import reverse

    from evaluations.models import FollowUp

    evaluation_submit(dossier=returned, answers=answers(0, overall="unsatisfied",
                                                        comment=COMMENT),
                      channel=Evaluation.Channel.ONLINE, actor=org.citizen)
    follow_up = FollowUp.objects.get()
    head = client_for(org.head)
    page = head.get(reverse("evaluations:follow_ups"))
    assert page.status_code == 200 and returned.code in page.content.decode()
    assert "0914 222 333" not in page.content.decode()
    assert not PersonalDataAccess.objects.exists()
    url = reverse("evaluations:follow_up_detail", args=[follow_up.pk])
    # Another site's link opens nothing and logs nothing.
    refused = head.get(url, **CROSS_SITE)
    assert "0914 222 333" not in refused.content.decode()
    assert not PersonalDataAccess.objects.exists()
    opened = head.get(url)
    assert opened.status_code == 200 and COMMENT in opened.content.decode()
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.reference, read.action, read.subject) == (
        org.head, returned.code, PersonalDataAccess.Action.DOSSIER_OPEN, "056185004321")
