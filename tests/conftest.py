"""Shared fixtures: a stub backend in-process, a fixed clock, services wired to both."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Playwright, sync_playwright

from app.settings import SOURCE_PATHS
from app.wiring import build_services
from backend_stub.main import create_app
from services.clock import FixedClock, parse_clock
from services.hub import AppServices, SourceUrls
from tests.postgres import postgres_server, stub_database_url  # noqa: F401  (fixtures)

STUB = "http://stub.test"
# The nine Kundenzentren by the names the city's feed gives them (after "Kundenzentrum ")
KUNDENZENTREN = [
    "Innenstadt",
    "Chorweiler",
    "Ehrenfeld",
    "Kalk",
    "Lindenthal",
    "Mülheim",
    "Nippes",
    "Porz",
    "Rodenkirchen",
]
ADMIN_TOKEN = "test-admin-token"
# A Monday in the walk-in hours, 10:00 in Cologne: what tests about queues and hours pin.
MONDAY_10 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
AT_MONDAY_10 = "2026-10-05T10:00"  # for @pytest.mark.clock
# The time every other test runs at: `KOELN_TEST_CLOCK` (Cologne time, e.g. 2026-11-22T03:00)
# lets the whole suite be run at night, on a Sunday, at closing time; none may care.
TEST_CLOCK = os.environ.get("KOELN_TEST_CLOCK", "").strip()
T0 = parse_clock(TEST_CLOCK) if TEST_CLOCK else MONDAY_10


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FixedClock:
    """The suite's clock; a test about queues or hours pins its own with `@pytest.mark.clock`."""
    pinned = request.node.get_closest_marker("clock")
    return FixedClock(parse_clock(pinned.args[0]) if pinned else T0)


@pytest.fixture
def stub_app(tmp_path: Path, clock: FixedClock) -> FastAPI:
    """The stub backend with its own SQLite file and the test clock."""
    return create_app(
        f"sqlite:///{tmp_path / 'stub.sqlite3'}", admin_token=ADMIN_TOKEN, clock=clock
    )


@pytest.fixture
def stub_transport(stub_app: FastAPI) -> httpx.ASGITransport:
    """Calls go to the stub in-process, through the real HTTP stack of httpx."""
    return httpx.ASGITransport(app=stub_app)


@pytest.fixture
def stub_urls() -> SourceUrls:
    return SourceUrls(**{name: STUB + path for name, path in SOURCE_PATHS.items()})


@pytest.fixture
async def services(
    tmp_path: Path, clock: FixedClock, stub_transport: httpx.ASGITransport, stub_urls: SourceUrls
) -> AsyncIterator[AppServices]:
    """The app's services against the in-process stub."""
    built = build_services(
        stub_urls,
        tmp_path / "app-data",
        clock=clock,
        transport=stub_transport,
        zms_test_mailbox=True,  # the stub keeps the emails ZMS would send
    )
    yield built
    await built.aclose()


@pytest.fixture
def offline_transport() -> httpx.MockTransport:
    """A network where nothing answers."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return httpx.MockTransport(refuse)


@pytest.fixture
async def offline_services(
    tmp_path: Path, clock: FixedClock, offline_transport: httpx.MockTransport, stub_urls: SourceUrls
) -> AsyncIterator[AppServices]:
    built = build_services(
        stub_urls, tmp_path / "app-data", clock=clock, transport=offline_transport
    )
    yield built
    await built.aclose()


@pytest.fixture
def repo_root() -> Iterator[Path]:
    yield Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright's sync API holds an event loop for the session,
    which the async (anyio) tests must not share. Soak runs only when asked for (`-m soak`)."""
    if "soak" not in (config.getoption("markexpr") or ""):
        soak = [item for item in items if item.get_closest_marker("soak") is not None]
        if soak:
            config.hook.pytest_deselected(items=soak)
            items[:] = [item for item in items if item.get_closest_marker("soak") is None]
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


APP_LOG_LINES = 80


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test that started the app shows the end of the app's log with its failure
    (a flaky failure on CI is otherwise lost with the clone)."""
    report: pytest.TestReport = yield
    if report.when == "call" and report.failed:
        where = getattr(item, "funcargs", {}).get("tmp_path")
        for log in sorted(Path(where).glob("app-*.log")) if where else []:
            lines = log.read_text(errors="replace").splitlines()[-APP_LOG_LINES:]
            report.sections.append((f"end of {log.name}", "\n".join(lines)))
    return report


# One Chromium for the whole run, shared by tests/browser and tests/accessibility (two
# Playwright instances in one process would fight over the event loop).
@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    assert Path(CHROMIUM).exists(), "Debian's chromium is required (apt-get install chromium)"
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Talk to a stub built by the test over HTTP in-process; close its database afterwards."""
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=STUB) as http:
            yield http
    finally:
        app.state.engine.dispose()
