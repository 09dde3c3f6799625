"""The local VNeID simulator (idp/) as a real server process for the OIDC tests.

Migrated into its own SQLite file in a temporary directory, set up with the client motcua's
test client calls back to (http://testserver/oidc/callback/), and served by gunicorn.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from motcua.testing import ROOT, free_port, gunicorn_command, server_process

CLIENT_ID = "motcua-test"
CLIENT_SECRET = "bi-mat-cua-ung-dung-thu"
CALLBACK = "http://testserver/oidc/callback/"
PASSWORD = "vneid-demo-2026"


class IdpServer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.issuer = base + "/o"


@contextmanager
def idp_running(tmp: Path) -> Iterator[IdpServer]:
    """The simulator on a free port for the `with` block, its database in `tmp`."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)} | {
        "DJANGO_SETTINGS_MODULE": "idp.settings",
        "IDP_DATA_DIR": str(tmp),
        "IDP_ISSUER": f"http://127.0.0.1:{port}/o",
        "IDP_FAST_HASHING": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"],
                 ["idp_setup", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                  "--redirect-uri", CALLBACK]):
        done = subprocess.run([*manage, *args, "--settings=idp.settings"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    gunicorn = gunicorn_command("idp.wsgi:application", "--threads", "4")

    def ready(base: str) -> None:
        httpx.get(base + "/o/.well-known/openid-configuration", timeout=2).raise_for_status()

    with server_process(gunicorn, env=env, port=port, ready=ready) as base:
        yield IdpServer(base)
