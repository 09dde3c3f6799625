"""A citizen opens a local account (issue 3, part 2): sign up with an e-mail address, receive the
6-digit code by e-mail, confirm it, land on the profile that pre-fills dossier forms; and a
citizen who forgot the password sets a new one with a code sent by e-mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from e2e.steps import field

pytestmark = pytest.mark.browser

EMAIL = "le.thi.hoa@example.vn"
PERSONAL_ID = "056192004567"  # Khánh Hòa, a woman born in 1992


def test_citizen_signs_up_and_verifies_by_email(page: Page, site, shot) -> None:
    page.goto(site("/thu-tuc/"))
    page.get_by_role("navigation").get_by_role("link", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản")
    field(page, "Thư điện tử hoặc số điện thoại di động").fill(EMAIL)
    field(page, "Họ và tên").fill("Lê Thị Hoa")
    field(page, "Số định danh cá nhân (CCCD)").fill("056992004567")  # digit 9 → born 1892
    field(page, "Mật khẩu").fill("Hoa-Nha-Trang-2026")
    field(page, "Nhập lại mật khẩu").fill("Hoa-Nha-Trang-2026")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    # Refused with a Vietnamese message, the form kept.
    expect(page.locator(".errorlist").first).to_contain_text("1892")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản")
    shot(page, "personal-id-refused")

    field(page, "Số định danh cá nhân (CCCD)").fill(PERSONAL_ID)
    for label in ("Mật khẩu", "Nhập lại mật khẩu"):  # passwords are not sent back to the page
        field(page, label).fill("Hoa-Nha-Trang-2026")
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xác minh tài khoản")
    expect(page.locator("main")).to_contain_text(EMAIL)
    # The live server runs in this process: its e-mail lands in Django's test outbox.
    sent = [m for m in mail.outbox if EMAIL in m.to]
    assert sent, "no verification e-mail"
    code = re.search(r"\b(\d{6})\b", sent[-1].body).group(1)
    field(page, "Mã xác minh").fill(code)
    page.get_by_role("button", name="Xác minh").click()

    expect(page.locator(".message--success")).to_contain_text("Tài khoản đã được xác minh")
    expect(page.locator(".site-header__user")).to_contain_text("Lê Thị Hoa")
    expect(field(page, "Số định danh cá nhân (CCCD)")).to_have_value(PERSONAL_ID)
    shot(page, "profile")


def test_citizen_forgets_the_password_and_sets_a_new_one(page: Page, site, shot) -> None:
    from accounts.models import User
    from e2e.steps import log_in

    User.objects.create_user(username="tran.minh@example.vn", email="tran.minh@example.vn",
                             password="Mat-khau-cu-2026", full_name="Trần Minh",
                             kind=User.Kind.CITIZEN)
    page.goto(site("/tai-khoan/dang-nhap/"))
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quên mật khẩu")
    field(page, "Thư điện tử hoặc số điện thoại đã đăng ký").fill("Tran.Minh@example.vn")
    page.get_by_role("button", name="Gửi mã").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu mới")
    sent = [m for m in mail.outbox if "tran.minh@example.vn" in m.to]
    assert sent and sent[-1].subject == "Mã đặt lại mật khẩu"
    field(page, "Mã xác minh").fill(re.search(r"\b(\d{6})\b", sent[-1].body).group(1))
    field(page, "Mật khẩu mới").fill("Mat-khau-moi-2026")
    field(page, "Nhập lại mật khẩu mới").fill("Mat-khau-moi-2026")
    shot(page, "password-reset")
    page.locator("main").get_by_role("button", name="Đặt mật khẩu mới").click()

    expect(page.locator(".message--success")).to_contain_text("Đã đặt mật khẩu mới")
    log_in(page, site(""), "tran.minh@example.vn", "Mat-khau-moi-2026")
    expect(page.locator(".site-header__user")).to_contain_text("Trần Minh")
