"""A stub served over HTTP on loopback by uvicorn in a thread, for the race tests that need
real concurrent connections (the in-process transport would serialise them)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

START_TIMEOUT = 30.0


@dataclass
class Served:
    """A stub served over HTTP on loopback."""

    url: str
    app: FastAPI


@contextmanager
def serving(app: FastAPI) -> Iterator[Served]:
    """Serve `app` until the block ends, then stop it and release its database."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", backlog=256))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT)
        listener.close()
        app.state.engine.dispose()
