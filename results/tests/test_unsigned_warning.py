"""Results issued unsigned (no seal configured, signatures not required) are said in the log at
most once a minute in a process, not on every approval (results/signing.py `_unsigned_said`;
issue #18: a line on the server's error stream per approval)."""

import logging

import pytest

from results import signing


@pytest.fixture
def unsigned(settings, monkeypatch):
    settings.MOTCUA_SIGNING_PKCS12 = ""
    settings.MOTCUA_SIGNING_UNIT_DIR = ""
    settings.MOTCUA_SIGNING_REQUIRED = False
    monkeypatch.setattr(signing, "_UNSIGNED_SAID", [], raising=False)
    clock = [1000.0]
    monkeypatch.setattr("time.monotonic", lambda: clock[0])
    return clock


def _said(caplog) -> int:
    return sum("UNSIGNED" in r.getMessage() for r in caplog.records
               if r.name == "results.signing" and r.levelno == logging.WARNING)


def test_said_once_a_minute(unsigned, caplog):
    caplog.set_level(logging.WARNING, logger="results.signing")
    for _ in range(5):
        assert signing.seal_or_refuse("000.00.12.H56") == []
    assert _said(caplog) == 1
    unsigned[0] += 59
    assert signing.seal_or_refuse(None) == []
    assert _said(caplog) == 1
    unsigned[0] += 2
    assert signing.seal_or_refuse(None) == []
    assert _said(caplog) == 2


def test_required_still_refuses(unsigned, settings):
    settings.MOTCUA_SIGNING_REQUIRED = True
    from motcua.errors import DomainError

    with pytest.raises(DomainError) as refused:
        signing.seal_or_refuse(None)
    assert refused.value.code == "signing_not_configured"
