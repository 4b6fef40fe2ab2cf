"""The stub keeps no client IP addresses: uvicorn's access log (one line per request with the
client's address) is off, whatever the log level."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI

from backend_stub import cli


@pytest.mark.parametrize("level", ["info", "debug"])
def test_the_served_stub_writes_no_access_log(monkeypatch: pytest.MonkeyPatch, level: str) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(cli.StubServer, "run", lambda self, *a, **k: seen.append(self.config))
    app = FastAPI()
    app.state.waiting = SimpleNamespace()
    cli.serve(app, port=8999, log_level=level)
    assert len(seen) == 1
    assert seen[0].access_log is False
    assert seen[0].host == "127.0.0.1"
