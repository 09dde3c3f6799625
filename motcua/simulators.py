"""What the local simulators of external systems (SMS gateway, payment gateway, time-stamping
authority) share when they run as commands: serving until Ctrl+C, then releasing the port."""

from socketserver import BaseServer


def serve_until_interrupted(server: BaseServer) -> None:
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
