"""Start the stub backend (`koeln-backend`) as a child process on a free loopback port."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx

from app.settings import LOOPBACK
from services.http import shared_tls

log = logging.getLogger(__name__)


def free_port() -> int:
    """A port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    # The stub starts beside the app: let the app's first frame have the CPU first.
    os.nice(19)
    # Linux: if the app is killed outright, the kernel sends the stub SIGTERM too.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class StartupGate(httpx.AsyncBaseTransport):
    """Holds requests to the embedded stub until it answers, so the app can serve at once.

    The screens show their saved data meanwhile and "loading"; a stub that never comes up
    opens the gate too, and the requests then fail as offline.
    """

    def __init__(self, stub_url: str, timeout: float = 30.0) -> None:
        self._stub = httpx.URL(stub_url)
        self._inner = httpx.AsyncHTTPTransport(verify=shared_tls())
        self._open = threading.Event()
        self._timeout = timeout

    def open(self) -> None:
        """Let requests through from now on."""
        self._open.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for the stub (other servers at once), without blocking the event loop, then send."""
        deadline = time.monotonic() + self._timeout
        for_the_stub = (request.url.host, request.url.port) == (self._stub.host, self._stub.port)
        while for_the_stub and not self._open.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._inner.aclose()


class EmbeddedBackend:
    """The stub as a child process, with its own SQLite file, stopped with the app."""

    def __init__(
        self,
        db_path: Path,
        log_path: Path,
        *,
        app_url: str | None = None,
        clock: datetime | None = None,
    ) -> None:
        self.db_path = db_path
        self.log_path = log_path
        self.app_url = app_url
        self.clock = clock  # the stub starts at the app's time when the app's clock is set
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.gate = StartupGate(self.url)
        self._process: subprocess.Popen[bytes] | None = None

    def _environment(self) -> dict[str, str]:
        """The stub links tickets to this app and keeps its ticket secret across restarts."""
        env = dict(os.environ)
        if self.app_url:
            env["KOELN_APP_URL"] = self.app_url
        if not env.get("KOELN_TICKET_SECRET"):
            secret_file = self.db_path.parent / "ticket-secret"
            if not secret_file.exists():
                secret_file.parent.mkdir(parents=True, exist_ok=True)
                secret_file.write_text(secrets.token_urlsafe(32))
                secret_file.chmod(0o600)
            env["KOELN_TICKET_SECRET"] = secret_file.read_text().strip()
        return env

    def start_in_background(self) -> None:
        """Start the stub without waiting (once); the gate opens when it answers or gives up."""
        if self._process is not None:
            return
        process = self.launch()  # from this thread: the stub dies with the thread that made it

        def wait() -> None:
            try:
                if not self.wait_until_ready(process):
                    log.error("the embedded stub backend did not start; the app runs offline")
            finally:
                self.gate.open()

        threading.Thread(target=wait, name="embedded-backend", daemon=True).start()

    def launch(self) -> subprocess.Popen[bytes]:
        """Start the stub's process (Linux ends it with the thread that calls this)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        clock = ["--clock", self.clock.isoformat()] if self.clock else []
        with self.log_path.open("ab") as log_file:
            self._process = process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "backend_stub",
                    "--port",
                    str(self.port),
                    "--db",
                    str(self.db_path),
                    *clock,
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._environment(),
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        return process

    def wait_until_ready(self, process: subprocess.Popen[bytes], timeout: float = 20.0) -> bool:
        """Wait until the stub answers `/health`; False if it exited or did not in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:  # also when the app stopped it meanwhile
                log.error("stub backend exited with %s; see %s", process.returncode, self.log_path)
                return False
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        log.error("stub backend did not answer within %.0f s; see %s", timeout, self.log_path)
        return False

    def stop(self) -> None:
        """Stop the stub, politely first."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
