"""Lost points against last year: the page's path (the rows and the previous assessment it has
already read) gives what the selector gives alone, and shows last year's points."""

from decimal import Decimal as D

from django.test import Client

from metrics.periods import Period
from reform.models import ParAssessment, ParScore
from reform.par import selectors
from reform.par.importer import criteria_import
from reform.par.services import round_open
from reform.tests.par.conftest import CRITERIA_FILE, NOW, at


def _as_tuples(lost):
    return [(x.criterion.code, x.max_points, x.points, x.lost, x.last_year, x.last_year_lost)
            for x in lost]


def test_last_year_s_points_beside_each_lost_criterion(par_round, home):
    last = par_round.assessments.get(unit=home.dept)
    for s in last.scores.select_related("criterion"):
        earned = D(1) if s.criterion.code == "1.6" else s.criterion.max_points
        ParScore.objects.filter(pk=s.pk).update(
            value="x", final_value="x", final_points=earned,
            appraisal=ParScore.Appraisal.ACCEPTED)
    ParAssessment.objects.filter(pk=last.pk).update(status=ParAssessment.Status.PUBLISHED)
    par_round.published_at = NOW
    par_round.save()
    next_set = criteria_import(CRITERIA_FILE.read_text(encoding="utf-8").replace(
        "year: 2026", "year: 2027"))
    next_round = round_open(actor=home.reform_officer, criteria_set=next_set,
                            organiser=home.home, name="Chỉ số CCHC năm 2027",
                            period=Period("quy", 2027, 1),
                            self_deadline=at("2027-12-31 00:00").date(), units=[home.dept],
                            now=at("2027-04-02 09:00"))
    a = next_round.assessments.get()
    alone = selectors.lost_points(a)
    page_path = selectors.lost_points(a, rows=selectors.assessment_rows(a),
                                      previous=selectors.previous_assessment(a))
    assert _as_tuples(page_path) == _as_tuples(alone) and len(alone) > 10
    by_code = {x.criterion.code: x for x in alone}
    assert (by_code["1.6"].last_year, by_code["1.6"].last_year_lost) == (D(1), D("2.00"))
    assert (by_code["1.1"].last_year, by_code["1.1"].last_year_lost) == (D(2), D("0.00"))
    c = Client()
    c.force_login(home.dept_officer)
    page = c.get(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/").content.decode()
    lost_table = page.split('id="mat-diem"')[1].split("</table>")[0]
    assert "so với năm trước" in lost_table
    row = lost_table.split("<td>1.6.")[1].split("</tr>")[0]
    # Lost 3 this year (nothing declared yet); last year it earned 1 and lost 2.
    assert row.endswith("<td>3,00</td><td>1,00</td><td>2,00</td>")
