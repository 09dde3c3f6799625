"""Logging in with VNeID (issue 3, part 2) in the browser: motcua's login page → the local
identity provider (a real OIDC server in its own process) → back, logged in as the citizen."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.idp_server import PASSWORD, ROOT, idp_running

pytestmark = pytest.mark.browser

CLIENT_ID = "motcua-e2e"
CLIENT_SECRET = "bi-mat-cua-kiem-thu-trinh-duyet"
# Trần Thị Bình: known to the simulator, not yet to motcua, so her first login creates her
# account (the demo's "congdan" would have to link VNeID from a password login first).
PERSONAL_ID = "079195000123"
NAME = "Trần Thị Bình"


@pytest.fixture(scope="module")
def idp(live_server, tmp_path_factory) -> Iterator[str]:
    """The simulator, with a client whose callback is this live server; yields its issuer."""
    tmp = tmp_path_factory.mktemp("idp-e2e")
    with idp_running(tmp) as server:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "DJANGO_SETTINGS_MODULE": "idp.settings", "IDP_DATA_DIR": str(tmp),
            "IDP_ISSUER": server.issuer, "IDP_FAST_HASHING": "1"}
        done = subprocess.run(
            [sys.executable, str(Path(ROOT) / "manage.py"), "idp_setup", "--settings=idp.settings",
             "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
             "--redirect-uri", f"{live_server.url}/oidc/callback/"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        yield server.issuer


@pytest.fixture
def vneid(idp: str, settings) -> str:
    settings.MOTCUA_OIDC_ISSUER = idp
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = idp + "/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = idp + "/token/"
    settings.OIDC_OP_USER_ENDPOINT = idp + "/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = idp + "/.well-known/jwks.json"
    return idp


def test_citizen_logs_in_with_vneid(page: Page, site, vneid: str, shot) -> None:
    page.goto(site("/ho-so-cua-toi/"))  # asks for a login first
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    expect(page).to_have_url(re.compile("^" + re.escape(vneid.removesuffix("/o"))))
    page.get_by_label("Số định danh cá nhân").fill(PERSONAL_ID)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    shot(page, "identity-provider")
    page.get_by_role("button", name="Đăng nhập").click()
    allow = page.get_by_role("button", name="Authorize")
    if allow.count():  # the simulator may ask for consent once per client
        allow.click()

    expect(page).to_have_url(re.compile("^" + re.escape(site.url)))
    expect(page.locator(".site-header__user")).to_contain_text(NAME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    shot(page, "back-logged-in")

    from accounts.models import User

    citizen = User.objects.get(personal_id=PERSONAL_ID)
    assert citizen.kind == User.Kind.CITIZEN and citizen.full_name == NAME
    assert citizen.vneid_verified
