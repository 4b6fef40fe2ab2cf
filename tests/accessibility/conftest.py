"""The browser fixtures of tests/browser, for the accessibility tests (Chromium itself is
shared by both, from tests/conftest.py)."""

from tests.browser.conftest import (  # noqa: F401
    app_factory,
    new_person,
    open_page,
    test_clock,
)
