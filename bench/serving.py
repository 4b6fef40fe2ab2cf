"""Start a server for a benchmark on a free loopback port and wait until it answers."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def start_server(
    command_for: Callable[[int], list[str]],
    free_port: Callable[[], int],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> tuple[subprocess.Popen[bytes], str]:
    """Run `command_for(port)`; returns the process and its URL once `/health` answers."""
    port = free_port()
    process = subprocess.Popen(
        command_for(port), cwd=ROOT, env=dict(env) if env else None, stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the stub did not start")
