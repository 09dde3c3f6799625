"""The local VNeID simulator (idp/) as a real server process for the OIDC tests.

Migrated into its own SQLite file in a temporary directory, set up with the client motcua's
test client calls back to (http://testserver/oidc/callback/), and served by gunicorn.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "motcua-test"
CLIENT_SECRET = "bi-mat-cua-ung-dung-thu"
CALLBACK = "http://testserver/oidc/callback/"
PASSWORD = "vneid-demo-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class IdpServer:
    def __init__(self, base: str) -> None:
        self.base = base
        self.issuer = base + "/o"


def idp_start(tmp: Path):
    """Start the simulator; returns (server, process, log file)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)} | {
        "DJANGO_SETTINGS_MODULE": "idp.settings",
        "IDP_DATA_DIR": str(tmp),
        "IDP_ISSUER": f"http://127.0.0.1:{port}/o",
        "PYTHONUNBUFFERED": "1",
        "IDP_FAST_HASHING": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"],
                 ["idp_setup", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                  "--redirect-uri", CALLBACK]):
        done = subprocess.run([*manage, *args, "--settings=idp.settings"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "idp.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = IdpServer(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(server.issuer + "/.well-known/openid-configuration", timeout=2) \
                .raise_for_status()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError((tmp / "server.log").read_text()) from None
            time.sleep(0.1)
    return server, process, log
