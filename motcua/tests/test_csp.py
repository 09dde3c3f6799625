"""Issue #17: a Content-Security-Policy without 'unsafe-inline' on every HTML page, and templates
that need none (no inline script, no on… handler, no style attribute or element)."""

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in ROOT.glob("*/templates/**/*.html")
                   if not p.is_relative_to(ROOT / ".venv") and not p.is_relative_to(ROOT / "idp"))

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def test_templates_were_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_holds_inline_script_handlers_or_styles(path):
    text = path.read_text()
    # A <script type="application/json"> holds data, never code.
    scripts = [m for m in INLINE_SCRIPT.findall(text) if "application/json" not in m]
    assert not scripts, scripts
    assert not HANDLER.search(text), HANDLER.search(text).group(0)
    assert not STYLE.search(text), STYLE.search(text).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/thu-tuc/", "/tra-cuu/", "/tai-khoan/dang-nhap/",
                                 "/api/docs/", "/admin/login/", "/xac-thuc/"])
def test_every_page_carries_the_policy(url):
    response = Client().get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    html = response.content.decode()
    scripts = [m for m in INLINE_SCRIPT.findall(html) if "application/json" not in m]
    assert not scripts, scripts
    assert not STYLE.search(html), STYLE.search(html).group(0)
