"""Load on the stub's polled waiting-time feed, against a bare FastAPI route on the same server.

Prints requests per second of both and their ratio (same process, same uvicorn, same client,
interleaved rounds, so a noisy machine affects both alike), then the share of 304 answers when
clients poll the feed repeatedly with If-None-Match as the app does.

    .venv/bin/python bench/waiting_load.py [--requests 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.embedded_backend import free_port
from backend_stub.main import create_app

FEED = "/externe-dienste/open-data/waiting-od.php"
BARE = "/bench/bare"


def serve(port: int, database: Path) -> uvicorn.Server:
    """The stub plus one bare route, served by uvicorn in a background thread."""
    app = create_app(f"sqlite:///{database}")

    @app.get(BARE)
    def bare() -> dict[str, bool]:
        return {"ok": True}

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def rate(client: httpx.Client, path: str, requests: int, *, conditional: bool) -> float:
    """Requests per second for `requests` sequential GETs of `path`."""
    etag: str | None = None
    start = time.perf_counter()
    for _ in range(requests):
        headers = {"If-None-Match": etag} if conditional and etag else {}
        response = client.get(path, headers=headers)
        etag = response.headers.get("ETag", etag)
    return requests / (time.perf_counter() - start)


def share_of_304(client: httpx.Client, polls: int) -> float:
    """Poll the feed like phones do (If-None-Match with the last ETag) and count 304s."""
    etag, not_modified = None, 0
    for _ in range(polls):
        response = client.get(FEED, headers={"If-None-Match": etag} if etag else {})
        if response.status_code == 304:
            not_modified += 1
        etag = response.headers.get("ETag", etag)
    return not_modified / polls


def main() -> None:
    """Run the comparison and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = serve(port, Path(tmp) / "bench.sqlite3")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            rate(client, BARE, 200, conditional=False)  # warm up both
            rate(client, FEED, 200, conditional=True)
            bare, polled, full = [], [], []
            for _ in range(args.rounds):
                bare.append(rate(client, BARE, args.requests, conditional=False))
                polled.append(rate(client, FEED, args.requests, conditional=True))
                full.append(rate(client, FEED, args.requests // 4, conditional=False))
            share = share_of_304(client, args.requests)
        server.should_exit = True
    b, p, f = (statistics.median(x) for x in (bare, polled, full))
    print(f"bare FastAPI route           {b:8.0f} req/s")
    print(f"feed, polled with ETag       {p:8.0f} req/s   ratio to bare {p / b:5.2f}")
    print(f"feed, full answer every time {f:8.0f} req/s   ratio to bare {f / b:5.2f}")
    print(f"share of 304 answers when polling repeatedly: {share:.1%}")


if __name__ == "__main__":
    main()
