"""Running a simulator (or this project in another mode) as a real server process for the tests,
and running work in threads released together (`at_once`).

`server_process` starts a command on a free port of 127.0.0.1, waits until `ready` stops
raising an HTTP error (by default: until it answers at all), yields the base URL and stops the
process after; `server_fixture` makes a session fixture of it. The process writes to a
temporary log, quoted when it fails to start.
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def module_command(module: str, *args: str) -> Callable[[int], list[str]]:
    """`python -m <module> --port N …`: a standard-library simulator, up in a fraction of a
    second."""
    return lambda port: [sys.executable, "-m", module, "--port", str(port), *args]


def manage_command(name: str, *args: str) -> Callable[[int], list[str]]:
    """`manage.py <name> --port N …`: a simulator as an operator starts it for the demo."""
    return lambda port: [sys.executable, str(ROOT / "manage.py"), name, "--port", str(port),
                         *args]


def gunicorn_command(app: str, *options: str) -> Callable[[int], list[str]]:
    """A WSGI site of this checkout (motcua in another mode, idp/) under the venv's gunicorn, one
    worker, as in production."""
    return lambda port: [str(Path(sys.executable).parent / "gunicorn"), app,
                         "--bind", f"127.0.0.1:{port}", "--workers", "1", *options]


@contextmanager
def server_process(command: Callable[[int], Sequence[str]], *,
                   ready: Callable[[str], Any] | None = None,
                   env: Mapping[str, str] | None = None, port: int | None = None,
                   startup_seconds: float = 30) -> Iterator[str]:
    """Run `command(port)` until the block ends; yields "http://127.0.0.1:<port>". Name the
    port when the environment must know it beforehand (an issuer URL); else a free one."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        # Unbuffered, so the log holds what the process said when it fails to start.
        process = subprocess.Popen(list(command(port)), cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT,
                                   env={**(os.environ if env is None else env),
                                        "PYTHONUNBUFFERED": "1"})
        try:
            deadline = time.monotonic() + startup_seconds
            while True:
                try:
                    (ready or answers())(base)
                    break
                except httpx.HTTPError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        process.kill()
                        process.wait(timeout=10)
                        log.seek(0)
                        raise RuntimeError(f"{command(port)} did not start:\n{log.read()}") \
                            from None
                    time.sleep(0.05)
            yield base
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)


def server_fixture(name: str, command: Callable[[int], Sequence[str]], *,
                   ready: Callable[[str], Any] | None = None, client: Callable[[str], Any] = str,
                   env: Mapping[str, str] | None = None):
    """A session fixture `name`: the server running for the whole session, as `client(base)`."""

    @pytest.fixture(scope="session", name=name)
    def fixture() -> Iterator[Any]:
        with server_process(command, ready=ready, env=env) as base:
            yield client(base)

    return fixture


def answers(path: str = "/", method: str = "GET") -> Callable[[str], Any]:
    """A `ready` probe: the server answers `method path` at all (any status; a refused or
    timed-out connection raises)."""
    return lambda base: httpx.request(method, base + path, timeout=2)


class SimulatorClient:
    """A test's handle on a running simulator of motcua/simulators.py: its switches and what it
    received (the JSON at `inspection`)."""

    inspection = "/state.json"

    def __init__(self, base: str, **client_options: Any) -> None:
        self.base = base
        self.http = httpx.Client(timeout=5, **client_options)

    def control(self, **switches: Any) -> dict:
        response = self.http.post(self.base + "/control/", json=switches)
        response.raise_for_status()
        return response.json()

    def snapshot(self) -> dict:
        return self.http.get(self.base + self.inspection).json()


def at_once(calls: Sequence[Callable[[], Any]]) -> list[Exception]:
    """Run each call in a thread of its own, released together (a barrier), each with its own
    database connection, closed after; the exceptions they raised, for the test to assert."""
    errors: list[Exception] = []
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(call,)) for call in calls]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return errors
