"""The simulators' shared server (motcua/simulators.py): a tiny simulator of its own, served in
this process, shows the control endpoint, the "down" and "slow" switches and the record of calls
that every simulator of an external system inherits."""

import time
from typing import Any

import httpx
import pytest

from motcua.simulators import CredentialsState, SimulatorHandler, SimulatorServer, running

AUTH = ("echo", "echo-Test-2026")


class EchoState(CredentialsState):
    def __init__(self) -> None:
        super().__init__(*AUTH)
        self.received: list[Any] = []

    def clear(self) -> None:
        self.received.clear()

    def records(self) -> dict[str, Any]:
        return {"received": list(self.received)}


class EchoHandler(SimulatorHandler):
    inspection = frozenset({"/state.json"})
    max_body = 100

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "/state.json":
            self.send_json(200, self.state.snapshot())
        else:
            self.send_json(200, {"echo": query})

    def post(self, path: str, data: Any) -> None:
        with self.state.lock:
            if self.down():
                return
            self.state.received.append(data)
        self.send_json(201, {"taken": data})


@pytest.fixture
def echo():
    server = SimulatorServer(("127.0.0.1", 0), EchoHandler, EchoState())
    with running(server), httpx.Client(base_url=server.base_url, auth=AUTH, timeout=5) as client:
        yield client


def test_json_in_and_out_with_credentials(echo):
    assert echo.post("/things/", json={"a": "ă"}).json() == {"taken": {"a": "ă"}}
    assert echo.get("/things/?x=1").json() == {"echo": {"x": ["1"]}}
    assert httpx.post(f"{echo.base_url}/things/", json={}).status_code == 401
    assert echo.post("/things/", content=b"{not json").status_code == 400
    assert echo.post("/things/", content=b"[" + b"1," * 60 + b"1]").status_code == 413
    assert echo.get("/state.json").json() == {"fail": False, "received": [{"a": "ă"}]}


def test_down_refuses_the_protocol_and_is_recorded(echo):
    assert echo.post("/control/", json={"fail": True}).json() == {"fail": True, "received": []}
    refused = echo.post("/things/", json={"a": 1})
    assert refused.status_code == 503 and refused.json() == {"error": "simulated outage"}
    echo.post("/control/", json={"fail": False})
    assert echo.post("/things/", json={"a": 2}).status_code == 201
    calls = echo.get("/calls.json").json()
    assert [c["path"] for c in calls["calls"]] == ["/things/", "/things/"]
    assert calls["fail"] is False and calls["delay_seconds"] == 0
    # The inspection and control routes are not calls of the protocol; reset forgets them all.
    echo.post("/control/", json={"reset": True})
    assert echo.get("/calls.json").json()["calls"] == []
    assert echo.get("/state.json").json()["received"] == []
    assert httpx.get(f"{echo.base_url}/calls.json").status_code == 401


def test_slow_delays_the_protocol_not_the_inspection(echo):
    echo.post("/control/", json={"delay_seconds": 0.5})
    started = time.monotonic()
    assert echo.get("/state.json").status_code == 200
    inspected = time.monotonic() - started
    started = time.monotonic()
    assert echo.post("/things/", json={}).status_code == 201
    called = time.monotonic() - started
    assert called >= 0.5 > inspected
    with pytest.raises(httpx.ReadTimeout):
        echo.post("/things/", json={}, timeout=0.2)
    echo.post("/control/", json={"delay_seconds": 0})
    assert echo.get("/calls.json").json()["delay_seconds"] == 0


@pytest.mark.parametrize("switches", [[1, 2], {"delay_seconds": "soon"},
                                      {"delay_seconds": -1}, {"delay_seconds": 3600}])
def test_bad_switches_are_refused(echo, switches):
    answer = echo.post("/control/", json=switches)
    assert answer.status_code == 400 and answer.json()["error"]
    assert echo.get("/calls.json").json()["delay_seconds"] == 0


def test_running_releases_the_port():
    server = SimulatorServer(("127.0.0.1", 0), EchoHandler, EchoState())
    with running(server):
        base = server.base_url
        assert httpx.get(base + "/state.json", timeout=5).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/state.json", timeout=5)
