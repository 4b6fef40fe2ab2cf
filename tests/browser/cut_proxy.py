"""A TCP proxy between the browser and the app whose connections the test can cut and restore."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest


class CuttableProxy:
    """Forwards 127.0.0.1:`port` to the app; `cut()` drops everything until `restore()`."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        self._cut = threading.Event()
        self._closed = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.refused = 0  # connections turned away while cut (the browser trying again)
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        """The app's address through the proxy."""
        return f"http://127.0.0.1:{self.port}/"

    def cut(self) -> None:
        """The phone loses its connection: every open one dies, new ones are refused."""
        self._cut.set()
        with self._lock:
            sockets, self._sockets = set(self._sockets), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        """The connection is back."""
        self._cut.clear()

    def close(self) -> None:
        """Stop forwarding for good."""
        self._closed.set()
        self.cut()
        self._server.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self._cut.is_set():
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def proxy_to() -> Iterator[list[CuttableProxy]]:
    """Proxies made by the test, closed after it."""
    made: list[CuttableProxy] = []
    yield made
    for proxy in made:
        proxy.close()
