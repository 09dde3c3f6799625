"""A CCHC plan task points at the regulation review rounds it delivers (issue 14): the
officer links them on the task's page, the page shows each round's figures and links to it,
the API lists them, and a round outside the plan's year is refused."""

from django.test import Client
from rest_framework.test import APIClient

from reform.models import TaskEvent
from regulations import services as regulations


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _round(world, name: str, year: int = 2026):
    return regulations.round_create(actor=world.officer, name=name, unit=world.province,
                                    start_date=f"{year}-01-01", end_date=f"{year}-12-31")


def test_the_officer_links_a_review_round_and_the_task_shows_its_figures(world):
    review = _round(world, "Rà soát thủ tục lĩnh vực tư pháp 2026")
    regulations.provision_add(actor=world.officer, review_round=review, kind="legal_text",
                              unit=world.justice, legal_text="Điều 5 Nghị định thử",
                              content="Yêu cầu nộp bản sao có chứng thực.")
    task = world.justice_task
    officer = _login(world.officer)
    page = officer.get(f"/cai-cach/nhiem-vu/{task.pk}/").content.decode()
    # The link form offers the plan year's rounds.
    assert f'<option value="{review.pk}">' in page

    r = officer.post(f"/cai-cach/nhiem-vu/{task.pk}/lien-ket/",
                     {"procedures": "", "review_rounds": [review.pk]})
    assert r.status_code == 303
    assert list(task.review_rounds.all()) == [review]
    event = task.events.filter(kind=TaskEvent.Kind.LINK).latest("id")
    assert review.name in event.note

    # The lead unit's staff read it on the task's page: the round, its link and its figures.
    page = _login(world.justice_staff).get(f"/cai-cach/nhiem-vu/{task.pk}/").content.decode()
    shown = page.split('id="task-review-rounds">')[1].split("</dd>")[0]
    assert f'href="/ra-soat/dot/{review.pk}/"' in shown and review.name in shown
    assert "rà soát 1, phê duyệt 0, đã thực thi 0 quy định" in shown

    api = APIClient()
    api.force_authenticate(world.justice_staff)
    assert api.get(f"/api/v1/reform/tasks/{task.pk}/").json()["review_rounds"] == [review.pk]

    # Linking procedures again without naming rounds on the form clears them (the form
    # replaces each list, as for procedures and directives).
    r = officer.post(f"/cai-cach/nhiem-vu/{task.pk}/lien-ket/", {"procedures": ""})
    assert r.status_code == 303 and not task.review_rounds.exists()


def test_a_round_outside_the_plan_s_year_is_refused_and_nothing_changes(world):
    old = _round(world, "Rà soát năm 2024", year=2024)
    task = world.justice_task
    officer = _login(world.officer)
    assert f'<option value="{old.pk}">' not in officer.get(
        f"/cai-cach/nhiem-vu/{task.pk}/").content.decode()
    r = officer.post(f"/cai-cach/nhiem-vu/{task.pk}/lien-ket/",
                     {"procedures": "", "review_rounds": [old.pk]})
    assert r.status_code == 422
    assert not task.review_rounds.exists()
    # The service refuses it too, naming the field.
    from motcua.errors import DomainError
    from reform.services.plans import task_link

    try:
        task_link(actor=world.officer, task=task, procedure_codes=[], directive_ids=[],
                  review_round_ids=[old.pk])
    except DomainError as error:
        assert "review_rounds" in error.fields
    else:
        raise AssertionError("a round of 2024 was linked to a 2026 task")
    assert not task.review_rounds.exists()


def test_only_the_plan_officer_links_rounds(world):
    review = _round(world, "Rà soát 2026")
    r = _login(world.justice_staff).post(
        f"/cai-cach/nhiem-vu/{world.justice_task.pk}/lien-ket/",
        {"procedures": "", "review_rounds": [review.pk]})
    assert r.status_code in (403, 404)
    assert not world.justice_task.review_rounds.exists()


def test_the_task_page_reads_the_rounds_figures_in_the_same_statements_however_many(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = world.justice_task
    staff = _login(world.justice_staff)

    def statements_with(count: int) -> int:
        rounds = [_round(world, f"Rà soát {count}-{i}") for i in range(count)]
        for review in rounds:
            regulations.provision_add(actor=world.officer, review_round=review,
                                      kind="legal_text", unit=world.justice,
                                      legal_text="Điều 5 Nghị định thử",
                                      content="Yêu cầu nộp bản sao có chứng thực.")
        task.review_rounds.set(rounds)
        with CaptureQueriesContext(connection) as page:
            assert staff.get(f"/cai-cach/nhiem-vu/{task.pk}/").status_code == 200
        return len(page.captured_queries)

    assert statements_with(1) == statements_with(4)
