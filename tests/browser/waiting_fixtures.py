"""A stub backend of our own for the waiting-time browser tests, so they can play operator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from app.embedded_backend import free_port

if TYPE_CHECKING:
    from tests.browser.conftest import AppPage

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "browser-admin-token"
SECRET = "browser-ticket-secret"


@dataclass
class Operator:
    """The stub's admin routes, as a Kundenzentrum's staff would use them."""

    url: str

    def call(self, method: str, path: str, body: object) -> dict:  # type: ignore[type-arg]
        response = httpx.request(
            method, self.url + path, json=body, headers={"Authorization": f"Bearer {ADMIN}"}
        )
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def open(self, office: str) -> None:
        self.call("PUT", f"/admin/queues/{office}/open", {"open": True})

    def waiting(self) -> dict[str, int]:
        """What the stub's held (long-polling) requests did so far."""
        response = httpx.get(
            self.url + "/admin/queues/waiting", headers={"Authorization": f"Bearer {ADMIN}"}
        )
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def call_next(self, office: str, counter: int) -> dict | None:  # type: ignore[type-arg]
        return self.call("POST", f"/admin/queues/{office}/call-next", {"counter": counter})[
            "called"
        ]


@dataclass
class Stub:
    """The running stub and the port the app will be served on (its links point there)."""

    url: str
    app_port: int
    operator: Operator


@pytest.fixture
def stub(tmp_path: Path, test_clock: str) -> Iterator[Stub]:
    """`koeln-backend` on a free port, on the test's clock, with known admin token and secret."""
    port, app_port = free_port(), free_port()
    env = {
        **os.environ,
        "KOELN_ADMIN_TOKEN": ADMIN,
        "KOELN_TICKET_SECRET": SECRET,
        "KOELN_APP_URL": f"http://127.0.0.1:{app_port}",
    }
    command = [sys.executable, "-m", "backend_stub", "--port", str(port)]
    command += ["--db", str(tmp_path / "s.db"), "--clock", test_clock, "--speed", "0"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:  # also a failed set-up leaves no stub running
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("the stub did not answer within 30 s")
        # the simulation stands still (--speed 0): nothing moves unless the test calls numbers
        yield Stub(url, app_port, Operator(url))
    finally:
        process.terminate()
        process.wait(timeout=10)


def draw(stub: Stub, office: str = "kalk") -> dict:  # type: ignore[type-arg]
    """A person takes a number at the kiosk (through the queue API)."""
    response = httpx.post(
        f"{stub.url}/queue/v1/locations/{office}/tickets", json={"serviceId": 1001}
    )
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def card(page: AppPage, number: str):  # type: ignore[no-untyped-def]
    """A followed ticket's card, found by its number."""
    return page.page.get_by_role("group", name=re.compile(f"Nummer {number} · "))
