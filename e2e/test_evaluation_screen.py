"""The evaluation screen facing the applicant at the desk: the officer sends the returned dossier
from the kiosk page, the waiting screen (a tablet logged in as `manhinh.quay1`) shows its form
within a few seconds, the applicant answers there, and the screen waits for the next person."""

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.demo import DEMO_PASSWORD
from e2e.browser import new_page
from e2e.steps import field, log_in

pytestmark = pytest.mark.browser


def _returned_dossier():
    """The demo dossier waiting for the head's approval, approved and handed over now."""
    from accounts.models import User
    from dossiers.models import Dossier
    from dossiers.services import dossier_act
    from results.drafting import draft_from_template, draft_sign

    head, desk = User.objects.get(username="lanhdao.tp"), User.objects.get(username="tiepnhan")
    specialist = User.objects.get(username="chuyenvien.tp")
    dossier = Dossier.objects.get(current_step__assignee=head)
    # The result is signed from a draft: back to the specialist, who drafts it from the
    # template and forwards it, then the head signs it.
    dossier = dossier_act(dossier=dossier, actor=head, action="return_step",
                          reason="Đề nghị soạn dự thảo kết quả", at=timezone.now())
    draft = draft_from_template(dossier=dossier, actor=specialist)
    dossier = dossier_act(dossier=dossier, actor=specialist, action="forward",
                          data={"assignee": head.pk}, at=timezone.now())
    dossier = draft_sign(draft=draft, actor=head, confirmed=True, at=timezone.now())
    receiver = {"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}}
    for actor, action, data in ((desk, "mark_result_ready", {}),
                                (desk, "return_result", receiver)):
        dossier = dossier_act(dossier=dossier, actor=actor, action=action, data=data,
                              at=timezone.now())
    return dossier


def test_the_applicant_evaluates_on_the_desk_screen(browser: Browser, site, shot) -> None:
    from evaluations.models import Evaluation

    dossier = _returned_dossier()
    tablet = new_page(browser)
    officer = new_page(browser)
    try:
        tablet.goto(site("/tai-khoan/dang-nhap/"))
        field(tablet, "Tên đăng nhập, thư điện tử hoặc số điện thoại").fill("manhinh.quay1")
        tablet.get_by_label("Mật khẩu", exact=True).fill(DEMO_PASSWORD)
        tablet.locator("main").get_by_role("button", name="Đăng nhập").click()
        expect(tablet.locator(".screen__waiting")).to_be_visible()
        expect(tablet.get_by_role("navigation")).to_have_count(0)
        shot(tablet, "screen-waiting")

        log_in(officer, site(""), "tiepnhan")
        officer.goto(site("/danh-gia/quay/"))
        row = officer.locator("li", has_text=dossier.code)
        row.get_by_role("button", name="Mời đánh giá trên màn hình").click()
        expect(officer.locator(".message--success")).to_contain_text(dossier.code)

        # The waiting screen asks every 3 seconds: the form comes without touching it.
        expect(tablet.get_by_text(f"Hồ sơ {dossier.code}")).to_be_visible(timeout=10_000)
        expect(tablet.get_by_role("button", name="Gửi đánh giá")).to_be_visible()
        for name in dict.fromkeys(tablet.locator("form input[type=radio]").evaluate_all(
                "els => els.map(e => e.name)")):
            tablet.locator(f"form input[type=radio][name='{name}']").first.check()
        shot(tablet, "screen-form")
        tablet.get_by_role("button", name="Gửi đánh giá").click()
        expect(tablet.locator(".message--success")).to_contain_text("Cảm ơn ông/bà đã đánh giá")
        expect(tablet.locator(".screen__waiting")).to_be_visible()
        evaluation = Evaluation.objects.get(dossier=dossier)
        assert evaluation.channel == "kiosk" and evaluation.submitted_by.username == "tiepnhan"
        # The tablet opens nothing else: the inbox sends it back to the screen.
        tablet.goto(site("/ho-so/"))
        expect(tablet.locator(".screen__waiting")).to_be_visible()
    finally:
        tablet.context.close()
        officer.context.close()
