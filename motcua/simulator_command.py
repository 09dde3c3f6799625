"""The `manage.py <simulator>` commands' common part: --host and --port, the line saying where
the simulator listens, then serving until Ctrl+C (motcua/simulators.py holds the servers)."""

from argparse import ArgumentParser
from socketserver import BaseServer
from typing import Any

from django.core.management.base import BaseCommand

from motcua.simulators import serve_until_interrupted


class SimulatorCommand(BaseCommand):
    default_port: int
    # Vietnamese, with {url}: what the operator reads once the simulator listens.
    announcement = "{url}/ — Ctrl+C để dừng."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=self.default_port)
        self.add_simulator_arguments(parser)

    def add_simulator_arguments(self, parser: ArgumentParser) -> None:
        """The simulator's own options (credentials, keys)."""

    def server(self, *, host: str, port: int, **options: Any) -> BaseServer:
        raise NotImplementedError

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        server = self.server(host=host, port=port, **options)
        url = f"http://{host}:{server.server_address[1]}"
        self.stdout.write(self.announcement.replace("{url}", url))
        self.stdout.flush()
        serve_until_interrupted(server)
