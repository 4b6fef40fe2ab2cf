"""Reading the city's waiting-time feed, where every value is a string."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.errors import BadData
from services.waiting_times.feed import parse_feed, parse_minutes


def item(**overrides: str) -> dict[str, str]:
    base = {
        "title_anz": "Kundenzentrum Ehrenfeld",
        "timestamp": "2026-10-05 08:00:03",
        "link": "https://www.stadt-koeln.de/x",
        "status": "1",
        "sondertext": "",
        "wartezeit_minuten": "19",
    }
    return base | overrides


def test_reads_strings_and_local_time() -> None:
    [entry] = parse_feed({"success": True, "items": [item()]})
    assert entry.office == "Kundenzentrum Ehrenfeld"
    assert entry.wait_minutes == 19
    assert entry.is_open is True
    # 08:00 in Cologne in October (CEST) is 06:00 UTC
    assert entry.measured_at == datetime(2026, 10, 5, 6, 0, 3, tzinfo=UTC)


def test_closed_office_and_notice() -> None:
    [entry] = parse_feed(
        {"success": True, "items": [item(status="2", sondertext="Heute geschlossen")]}
    )
    assert entry.is_open is False
    assert entry.notice == "Heute geschlossen"


@pytest.mark.parametrize("value", ["", "abc", "-5", None, "99999"])
def test_unreadable_minutes_are_unknown_not_zero(value: str | None) -> None:
    assert parse_minutes(value) is None


def test_entries_without_a_name_are_skipped() -> None:
    entries = parse_feed({"success": True, "items": [item(title_anz=""), item(), "junk"]})
    assert [e.office for e in entries] == ["Kundenzentrum Ehrenfeld"]


def test_unknown_status_and_bad_timestamp_stay_unknown() -> None:
    [entry] = parse_feed({"success": True, "items": [item(status="7", timestamp="gestern")]})
    assert entry.is_open is None
    assert entry.measured_at is None


@pytest.mark.parametrize(
    "body",
    [
        {"success": False, "items": []},
        {"success": True},
        [],
        "<html>",
        {"success": True, "items": [{}]},
    ],
)
def test_a_feed_that_is_not_one_is_bad_data(body: object) -> None:
    with pytest.raises(BadData):
        parse_feed(body)


def test_unreadable_entries_keep_the_last_good_value() -> None:
    from services.waiting_times.feed import keep_last_good, parse_item

    earlier = [
        parse_item(
            {
                "title_anz": "KZ Kalk",
                "timestamp": "2026-10-05 09:40:00",
                "status": "1",
                "wartezeit_minuten": "12",
            }
        )
    ]
    fresh = [
        parse_item(
            {
                "title_anz": "KZ Kalk",
                "timestamp": "2026-10-05 10:00:00",
                "status": "1",
                "wartezeit_minuten": "viel",
            }
        ),
        parse_item(
            {
                "title_anz": "KZ Porz",
                "timestamp": "2026-10-05 10:00:00",
                "status": "7",
                "wartezeit_minuten": "3",
            }
        ),
    ]
    merged = keep_last_good([e for e in fresh if e], [e for e in earlier if e])
    assert merged[0].wait_minutes == 12 and merged[0].kept_from_earlier
    assert merged[0].measured_at == earlier[0].measured_at  # its real age stays visible
    assert merged[1].is_open is None and not merged[1].kept_from_earlier  # nothing to keep
