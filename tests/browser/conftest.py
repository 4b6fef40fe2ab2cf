"""Start the real app as a subprocess and drive it in Debian's headless Chromium."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from app.embedded_backend import free_port
from tests.conftest import T0

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/|^(data|blob):")

pytestmark = pytest.mark.browser


def children_of(pid: int) -> list[int]:
    """Direct child processes of `pid`, read from /proc."""
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class RunningApp:
    """A `koeln-app` process on a free port."""

    process: subprocess.Popen[bytes]
    url: str
    data_dir: Path

    def stub_pids(self, timeout: float = 15.0) -> list[int]:
        """The app's child processes once its embedded stub runs (it starts after the app)."""
        deadline = time.monotonic() + timeout
        while not (kids := children_of(self.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        return kids

    def stop(self) -> None:
        """SIGTERM, as a service manager would; it must leave nothing behind."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
                raise


# A loaded two-core machine runs the app, its stub and Chromium at once: a screen may take more
# than Playwright's default 5 s to change; what never comes still fails.
expect.set_options(timeout=10_000)


def start_app(
    data_dir: Path, *args: str, port: int | None = None, env: dict[str, str] | None = None
) -> RunningApp:
    """Start the app and wait until it serves its page."""
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"app-{port}.log"  # a file, not a pipe nobody drains
    with log_path.open("ab") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--port", str(port), "--data-dir", str(data_dir), *args],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"app exited early:\n{log_path.read_text()}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return RunningApp(process, url, data_dir)
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("app did not serve within 60 s")
    except BaseException:
        process.kill()  # a failed start leaves nothing behind (the stub dies with the app)
        process.wait(timeout=10)
        raise


@pytest.fixture
def test_clock(request: pytest.FixtureRequest) -> str:
    """The time (Cologne) the app and its stub start at: the test's pin, else the suite's."""
    pinned = request.node.get_closest_marker("clock")
    return str(pinned.args[0]) if pinned else T0.isoformat()


@pytest.fixture
def app_factory(tmp_path: Path, test_clock: str) -> Iterator[Callable[..., RunningApp]]:
    """Start apps on demand, on the test's clock; all are stopped after the test."""
    started: list[RunningApp] = []

    def make(
        *args: str,
        data_dir: Path | None = None,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> RunningApp:
        env = {"KOELN_CLOCK": test_clock, **(env or {})}
        running = start_app(data_dir or tmp_path / "data", *args, port=port, env=env)
        started.append(running)
        return running

    try:
        yield make
    finally:
        for running in started:
            running.stop()


@dataclass
class AppPage:
    """A browser tab on the app, with what it tried to load from elsewhere."""

    page: Page
    outside_requests: list[str]


def open_app(
    owner: Browser | BrowserContext, url: str, *, width: int = 1280, height: int = 900
) -> AppPage:
    """Open `url` (in a new browser, or in a person's one), block anything not on loopback,
    switch on Flutter's semantics tree."""
    page = owner.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_timeout(20_000)
    outside: list[str] = []

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        if LOCAL.match(request.url):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    page.route("**/*", guard)
    goto(page, url)
    return AppPage(page, outside)


def goto(page: Page, url: str) -> None:
    """Load `url` in the tab, wait for Flutter's first frame, switch on its semantics tree."""
    page.goto(url)
    page.wait_for_selector("#loading", state="detached", timeout=30_000)
    page.locator("flt-semantics-placeholder").dispatch_event("click")
    page.wait_for_selector("flt-semantics", state="attached")


def shown(page: Page, text: str | re.Pattern[str]) -> Locator:
    """Text on the screen (a live region's copy for screen readers left aside)."""
    return page.locator("flt-semantics-host").get_by_text(text)


def settle(page: Page, quiet_ms: int = 400) -> None:
    """Wait until the semantics tree stopped changing for `quiet_ms`: a tap lands where the
    control now is."""
    page.wait_for_function(
        """quiet_ms => new Promise(done => {
            let quiet = setTimeout(() => { seen.disconnect(); done(true) }, quiet_ms);
            const seen = new MutationObserver(() => {
                clearTimeout(quiet);
                quiet = setTimeout(() => { seen.disconnect(); done(true) }, quiet_ms);
            });
            seen.observe(document.querySelector('flt-semantics-host') || document.body,
                         {subtree: true, childList: true, attributes: true});
        })""",
        arg=quiet_ms,
        timeout=15_000,
    )


def type_into(page: Page, label: str, text: str) -> None:
    """Type into a text field as a person does: go to it, then use the keyboard.

    The field is focused as a screen reader or the tab key does, not tapped at its place: a
    moment after the screen changed, the semantics tree can still say where the field was,
    and a tap there lands on whatever is there now (a dataset that opens, say)."""
    field = page.get_by_role("textbox", name=label)
    field.focus()
    expect(field).to_be_focused()  # Flutter moves the focus a frame later: type after it
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if text:
        page.keyboard.type(text)


def snap(page: Page, name: str) -> None:
    """Screenshot for the README; the canvas can trail the semantics tree, so let it paint."""
    size = page.viewport_size
    if size:  # the pointer off the controls: no hover tint or tooltip in the picture
        page.mouse.move(size["width"] - 2, size["height"] - 2)
    page.wait_for_timeout(1500)
    page.screenshot(path=ROOT / "docs" / "screenshots" / name)


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., AppPage]]:
    """Open a tab, each in a browser of its own (a new person), or in the given person's."""
    pages: list[AppPage] = []

    def make(url: str, *, person: BrowserContext | None = None, **kwargs: int) -> AppPage:
        app_page = open_app(person or browser, url, **kwargs)
        pages.append(app_page)
        return app_page

    yield make
    for app_page in pages:
        app_page.page.close()


@pytest.fixture
def new_person(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """A browser of its own (its own local storage): one person, with as many tabs as needed."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context()
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


# The waiting-time tests run their own stub to play operator; make its fixture known here.
from tests.browser.waiting_fixtures import stub  # noqa: E402, F401
