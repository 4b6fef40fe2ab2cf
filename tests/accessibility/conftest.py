"""The browser fixtures of tests/browser, for the accessibility tests."""

from tests.browser.conftest import (  # noqa: F401
    app_factory,
    browser,
    new_person,
    open_page,
    playwright,
    test_clock,
)
