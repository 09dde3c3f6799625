"""The browser the tests drive: Debian's Chromium, never a browser build Playwright downloads."""

import os

from playwright.sync_api import Browser, Page, expect

CHROMIUM = os.environ.get("MOTCUA_E2E_CHROMIUM", "/usr/bin/chromium")
# --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
# --disable-background-networking: no update checks or other traffic leave the machine.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Long enough for a loaded CI machine, short enough that a missing element fails fast.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)  # assertions wait as long as actions do


def new_page(browser: Browser, **options) -> Page:
    """A page in a new context (its own cookies: one person, or one anonymous visitor)."""
    options = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN", **options}
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()
