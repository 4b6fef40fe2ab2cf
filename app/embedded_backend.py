"""Start the stub backend (`koeln-backend`) as a child process on a free loopback port."""

from __future__ import annotations

import ctypes
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.settings import LOOPBACK

log = logging.getLogger(__name__)


def free_port() -> int:
    """A port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    # Linux: if the app is killed outright, the kernel sends the stub SIGTERM too.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class EmbeddedBackend:
    """The stub as a child process, with its own SQLite file, stopped with the app."""

    def __init__(self, db_path: Path, log_path: Path, *, app_url: str | None = None) -> None:
        self.db_path = db_path
        self.log_path = log_path
        self.app_url = app_url
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
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

    def start(self, timeout: float = 20.0) -> bool:
        """Start the stub and wait until `/health` answers; False if it did not in time."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log_file:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "backend_stub",
                    "--port",
                    str(self.port),
                    "--db",
                    str(self.db_path),
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._environment(),
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                log.error(
                    "stub backend exited with %s; see %s", self._process.returncode, self.log_path
                )
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
