"""Load generator for the submission benchmark: runs as its own process.

Sends `POST /api/v1/dossiers/` (or `--path`) from N keep-alive connections for a fixed time and
prints one JSON line with the count, errors and latencies (milliseconds).

Without `--rate` each connection sends its next request as soon as the last is answered (the
most the server takes). With `--rate R` requests are due at fixed moments, R a second, whatever
the answers (an open loop, as citizens and desks arrive); each latency runs from the moment the
request was due, so time spent waiting for a free connection counts too.

With `--paths-file` each request posts to the next path of the file (one per line), each once:
an action on a dossier (`/api/v1/dossiers/<code>/actions/forward/`) can be performed only once;
the run ends when the paths run out. A line `<path><TAB><JSON body>` posts that body instead of
`--body` (an approval naming its dossier's draft).
"""

import argparse
import http.client
import json
import threading
import time
import uuid


class Paths:
    """The next path to post to, each handed out once."""

    def __init__(self, paths: list[str]) -> None:
        self.paths, self.n = paths, 0
        self.lock = threading.Lock()

    def next(self) -> tuple[str, bytes | None] | None:
        """The next path and its own body (None: the common one)."""
        with self.lock:
            if self.n >= len(self.paths):
                return None
            self.n += 1
            line = self.paths[self.n - 1]
        path, _, own = line.partition("\t")
        return path, own.encode() if own else None


class Schedule:
    """The due moment of each next request at a fixed rate, handed out to the connections."""

    def __init__(self, rate: float, start: float) -> None:
        self.rate, self.start, self.n = rate, start, 0
        self.lock = threading.Lock()

    def next_due(self) -> float:
        with self.lock:
            due = self.start + self.n / self.rate
            self.n += 1
        return due


def worker(args, body: bytes, deadline: float, latencies: list, errors: list,
           schedule: Schedule | None, paths: Paths | None = None) -> None:
    host, port = args.host.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Authorization": f"Token {args.token}", "Content-Type": "application/json"}
    while time.perf_counter() < deadline:
        headers["Idempotency-Key"] = uuid.uuid4().hex
        path, own = (args.path, None) if paths is None else (paths.next() or (None, None))
        if path is None:
            break
        if schedule is not None:
            start = schedule.next_due()
            if start >= deadline:
                break
            time.sleep(max(0.0, start - time.perf_counter()))
        else:
            start = time.perf_counter()
        try:
            conn.request("POST", path, body=own or body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == args.ok_status
        except (OSError, http.client.HTTPException) as exc:
            ok = False
            errors.append(repr(exc))
            conn.close()
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
        elapsed = (time.perf_counter() - start) * 1000
        if ok:
            latencies.append(elapsed)
        elif len(errors) < 1000:
            errors.append(f"HTTP {getattr(response, 'status', '?')}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1:8799")
    parser.add_argument("--token", required=True)
    parser.add_argument("--body", required=True, help="JSON body of one submission")
    parser.add_argument("--path", default="/api/v1/dossiers/",
                        help="the URL posted to (bench/submissions.py: also its trivial write)")
    parser.add_argument("--paths-file", default="",
                        help="post to each path of this file once, in turn (instead of --path)")
    parser.add_argument("--ok-status", type=int, default=201,
                        help="the HTTP status of a successful answer (an action: 200)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=float, default=0,
                        help="requests a second at fixed moments (0: as fast as answered)")
    args = parser.parse_args()
    body = args.body.encode()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + args.seconds
    started = time.perf_counter()
    schedule = Schedule(args.rate, started) if args.rate > 0 else None
    paths = None
    if args.paths_file:
        with open(args.paths_file) as f:
            paths = Paths([line.rstrip("\n") for line in f if line.strip()])
    threads = [threading.Thread(target=worker,
                                args=(args, body, deadline, latencies, errors, schedule, paths))
               for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0

    print(json.dumps({"ok": len(latencies), "errors": len(errors), "first_errors": errors[:3],
                      "seconds": took, "per_second": len(latencies) / took,
                      "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99)}))


if __name__ == "__main__":
    main()
