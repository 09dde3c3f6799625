"""Small steps the journeys share: signing in and out, running an action on a dossier page."""

import re

from playwright.sync_api import Locator, Page, expect

from accounts.demo import DEMO_PASSWORD

LOGIN = "/tai-khoan/dang-nhap/"
SECOND_FACTOR = "/tai-khoan/xac-thuc-hai-buoc/"


def field(page: Page, label: str) -> Locator:
    """The input labelled `label`, with or without Django's ':' suffix or a required '*'."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*:?\s*\*?\s*$"))


def log_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + LOGIN)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: LOGIN not in url)
    if SECOND_FACTOR in page.url:
        # Heads, administrators and desks confirm with their authenticator's code: the demo's
        # authenticators are read from the database as the person's phone would show them.
        field(page, "Mã xác thực").fill(second_factor_code(username))
        page.locator("main").get_by_role("button", name="Xác nhận").click()
        page.wait_for_url(lambda url: SECOND_FACTOR not in url)
    # The header shows "Đăng xuất" once the session exists, on whichever page we land.
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def second_factor_code(username: str) -> str:
    """The next code of a demo authenticator that the server has not seen yet (a code is
    accepted once; two sign-ins within 30 seconds need the following step's code)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    wanted = max(now, device.last_t + 1)
    if wanted > now + device.tolerance:  # both steps in reach are used: wait for the next one
        time.sleep((wanted - device.tolerance) * device.step + device.t0 - time.time() + 0.1)
        now = totp.t()
    totp.time = time.time() + (wanted - now) * device.step
    return f"{totp.token():0{device.digits}d}"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


def act(page: Page, label: str, done: str, *, choose: dict[str, str] | None = None) -> None:
    """Press an action on the open dossier page, fill its form if it has one, confirm it, and
    wait for the page's success message containing `done`.

    Actions that need input are links opening a form in the action panel; the others are buttons
    that post at once. `choose` maps a select's label to (part of) the option text to pick.
    """
    row = page.locator("section[aria-labelledby=actions-title] .button-row").first
    link = row.get_by_role("link", name=label, exact=True)
    if link.count():
        link.click()
        confirm = page.get_by_role("button", name=f"Xác nhận: {label}")
        expect(confirm).to_be_visible()
        for select_label, option in (choose or {}).items():
            select = page.get_by_label(select_label)
            select.select_option(label=_option_label(select, option))
        confirm.click()
    else:
        row.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".message--success")).to_contain_text(done)


def _option_label(select: Locator, text: str) -> str:
    """The full text of the first option containing `text` (options carry titles after names)."""
    for option in select.locator("option").all_inner_texts():
        if text in option:
            return option.strip()
    raise AssertionError(f"no option containing {text!r}")


def draft_result(page: Page, base: str, code: str, *, subject: str = "") -> None:
    """The specialist saves a draft of the result from the procedure's template (results/),
    changing the subject when `subject` is given, and comes back to the dossier page."""
    page.goto(f"{base}/du-thao-ket-qua/{code}/")
    if subject:
        field(page, "Trích yếu nội dung").fill(subject)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".message--success")).to_contain_text("Đã lưu dự thảo")
    page.goto(f"{base}/ho-so/{code}/")


def sign_result(page: Page, base: str, code: str) -> None:
    """The head opens the draft from the dossier page and signs it through the confirmation."""
    page.goto(f"{base}/ho-so/{code}/")
    page.get_by_role("link", name="Xem dự thảo và ký kết quả").click()
    page.get_by_role("link", name="Ký ban hành…").click()
    page.get_by_label(re.compile("Tôi đã đọc và đồng ý ký ban hành")).check()
    page.get_by_role("button", name="Ký số và ban hành").click()
    expect(page.locator(".message--success")).to_contain_text("Đã ký ban hành")


def hand_over(page: Page, *, paper: str, name: str = "", authorised: bool = False) -> None:
    """The desk returns the result at the desk and records who took it and the paper shown."""
    row = page.locator("section[aria-labelledby=actions-title] .button-row").first
    row.get_by_role("link", name="Trả kết quả", exact=True).click()
    page.get_by_label("Nhận trực tiếp tại bộ phận một cửa").check()
    if authorised:
        page.get_by_label("Người được ủy quyền").check()
    if name:
        field(page, "Họ và tên người nhận").fill(name)
    field(page, "Giấy tờ người nhận xuất trình (loại và số)").fill(paper)
    page.get_by_role("button", name="Xác nhận: Trả kết quả").click()
    expect(page.locator(".message--success")).to_contain_text("Đã trả kết quả")
