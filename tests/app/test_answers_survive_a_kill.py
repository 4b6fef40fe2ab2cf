"""Answers given while the backend is down survive the app being killed (SIGKILL), and are
counted exactly once when it runs again with the backend up, also when the kill comes at a
random point while they are being sent.

Three runs here; `make test-soak` (`pytest -m soak`) runs twenty more with other kill points.
The app is `tests/app/participation_child.py`: the app's own services and wiring in a process
of its own, so it can be killed anywhere; the backend is `koeln-backend` on its own SQLite file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.embedded_backend import free_port
from tests.conftest import TEST_CLOCK

CLOCK = TEST_CLOCK or "2026-10-05T10:00"
SURVEY = "smart-city-sensoren"
ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 3


class Backend:
    """`koeln-backend` on a fixed port and database file: stopped and started again."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "backend_stub", "--port", str(self.port)]
        command += ["--db", str(self.db), "--clock", CLOCK, "--speed", "0"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("koeln-backend did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def responses(self) -> int:
        answer = httpx.get(f"{self.url}/participation/v1/surveys/{SURVEY}/results", timeout=10)
        answer.raise_for_status()
        return int(answer.json()["responses"])


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    running = Backend(tmp_path / "backend.sqlite3")
    running.start()
    try:
        yield running
    finally:
        running.stop()


def app(mode: str, data_dir: Path, backend_url: str) -> subprocess.Popen[str]:
    """The app's services in their own process (see participation_child.py)."""
    command = [sys.executable, "-m", "tests.app.participation_child", mode]
    command += ["--data-dir", str(data_dir), "--backend", backend_url, "--clock", CLOCK]
    command += ["--survey", SURVEY, "--count", str(PEOPLE)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def read_until(process: subprocess.Popen[str], word: str) -> str:
    """The child's output up to the line starting with `word` (it fails if the child ends)."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith(word):
            return line
    process.wait(timeout=10)
    raise AssertionError(f"the app ended before {word!r}:\n{''.join(seen)}")


def finish(process: subprocess.Popen[str], timeout: float = 60) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)


def answer_offline_kill_then_send(backend: Backend, data_dir: Path, seed: int) -> None:
    chance = random.Random(seed)
    # online, the person opens the survey: it is saved for offline use
    finish(app("open", data_dir, backend.url))
    before = backend.responses()

    # the backend goes away; three people answer; the app is killed while the answers wait
    backend.stop()
    answering = app("answer", data_dir, backend.url)
    waiting = read_until(answering, "waiting")
    assert waiting.split() == ["waiting", str(PEOPLE)]
    kill(answering)

    # the backend is back; the app starts and is killed at a random point of sending
    backend.start()
    sending = app("send", data_dir, backend.url)
    read_until(sending, "sending")
    time.sleep(chance.uniform(0, 0.3))
    kill(sending)

    # started once more, it sends what is left; every answer is counted exactly once
    done = finish(app("send", data_dir, backend.url)).split()
    assert done[-PEOPLE - 1 :] == ["sent", *["counted"] * PEOPLE]
    assert backend.responses() == before + PEOPLE


@pytest.mark.parametrize("seed", range(3))
def test_answers_given_offline_are_counted_once_after_kills(
    backend: Backend, tmp_path: Path, seed: int
) -> None:
    answer_offline_kill_then_send(backend, tmp_path / "app", seed)


@pytest.mark.soak
@pytest.mark.parametrize("seed", range(100, 120))
def test_answers_are_counted_once_whenever_the_kill_comes(
    backend: Backend, tmp_path: Path, seed: int
) -> None:
    answer_offline_kill_then_send(backend, tmp_path / "app", seed)
