"""Issue #16, "Everyday work": a dossier not yet received has no receipt date anywhere and is not
in the Form 06 register; the site's front door is the public catalogue for a visitor."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from dossiers.tests.conftest import at
from dossiers.tests.test_pdf_forms import pdf_text
from dossiers.tests.test_transitions import _act

PERIOD = {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"}


def test_an_online_dossier_waiting_for_the_desk_shows_no_receipt_date(client_for, org,
                                                                     make_dossier):
    waiting = make_dossier(accept=False, channel=2, actor=org.citizen,
                           when="2026-03-03 10:17")
    desk = client_for(org.desk)
    html = desk.get(reverse("dossiers:box", args=["receive"])).content.decode()
    assert waiting.code in html
    # The submission moment is shown as such, never under "Ngày tiếp nhận" as a receipt.
    assert "Chưa tiếp nhận (nộp 03/03/2026 10:17)" in html
    assert "<td>03/03/2026 10:17</td>" not in html


def test_the_register_lists_received_dossiers_by_their_receipt(client_for, org, make_dossier):
    received = make_dossier(when="2026-03-02 09:00")
    waiting = make_dossier(accept=False, channel=2, actor=org.citizen, when="2026-03-03 10:17")
    # Submitted online in February, received by the desk in March: it belongs to March.
    late = make_dossier(accept=False, channel=2, actor=org.citizen, when="2026-02-27 22:00")
    _act(late, org.desk, "accept", "2026-03-02 08:15")
    desk = client_for(org.desk)
    html = desk.get(reverse("dossiers:register"), PERIOD).content.decode()
    assert received.code in html and late.code in html and waiting.code not in html
    text = pdf_text(desk.get(reverse("dossiers:register_pdf"), PERIOD).content)
    assert waiting.code not in text and "08:15" in text
    sheet = load_workbook(io.BytesIO(
        desk.get(reverse("dossiers:register_xlsx"), PERIOD).content)).active
    codes = [row[1] for row in sheet.iter_rows(values_only=True) if row and
             isinstance(row[0], int)]
    assert codes == [late.code, received.code]
    assert [row[6] for row in sheet.iter_rows(values_only=True)
            if row and row[1] == late.code] == [at("2026-03-02 08:15").replace(tzinfo=None)]
    feb = desk.get(reverse("dossiers:register"),
                   {"tu-ngay": "2026-02-01", "den-ngay": "2026-02-28"}).content.decode()
    assert late.code not in feb


def test_a_visitor_at_the_front_door_sees_the_public_catalogue(client, org):
    r = client.get("/")
    assert r.status_code == 302 and r.url == reverse("catalog:list")
    assert client.get(r.url).status_code == 200


def test_staff_and_citizens_still_land_on_their_own_lists(client_for, org):
    assert client_for(org.desk).get("/").url == reverse("dossiers:box", args=["all"])
    assert client_for(org.citizen).get("/").url == reverse("dossiers:my_list")


def test_the_lookup_counts_a_code_once_whatever_its_letter_case(client, make_dossier, settings):
    """Issue #16, the lookup's lock-out (already right, kept so): tries at one code typed in
    different cases spend one budget, from different addresses; the address behind them is not
    locked by them; the secret still opens the dossier."""
    d = make_dossier()
    url = reverse("dossiers:lookup")
    spellings = [d.code, d.code.lower(), f" {d.code.lower()} ", d.code.replace("H", "h")]
    for n in range(settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE):
        r = client.post(url, {"ma": spellings[n % 4], "bi-mat": f"{n:04d}"},
                        REMOTE_ADDR=f"10.7.0.{n}")
        assert r.status_code == 404
    locked = client.post(url, {"ma": d.code.lower(), "bi-mat": "2333"}, REMOTE_ADDR="10.7.1.1")
    assert locked.status_code == 429
    opened = client.post(url, {"ma": d.code.lower(), "bi-mat": d.lookup_secret},
                         REMOTE_ADDR="10.7.0.1")
    assert opened.status_code == 200 and d.procedure.name in opened.content.decode()
