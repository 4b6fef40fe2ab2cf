"""Reading the city's waiting-time feed strictly, entry by entry, and keeping last good values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.errors import BadData
from services.waiting_times.feed import (
    CLOSED,
    MISSING,
    OPEN,
    UNKNOWN,
    UNREADABLE,
    WaitingTimes,
    merge,
    office_key,
    parse_feed,
)

NOW = datetime(2026, 10, 5, 8, 1, tzinfo=UTC)  # 10:01 in Cologne


def item(**overrides: Any) -> dict[str, Any]:
    base = {
        "title_anz": "Kundenzentrum Ehrenfeld",
        "timestamp": "2026-10-05 10:00:03",
        "link": "https://www.stadt-koeln.de/x",
        "status": "1",
        "sondertext": "",
        "wartezeit_minuten": "19",
    }
    return {k: v for k, v in (base | overrides).items() if v is not ...}


def feed(*items: Any) -> dict[str, Any]:
    return {"success": True, "items": list(items)}


def test_reads_strings_and_local_time() -> None:
    [entry] = parse_feed(feed(item())).offices
    assert (entry.key, entry.office) == ("ehrenfeld", "Kundenzentrum Ehrenfeld")
    assert entry.wait_minutes == 19
    assert entry.state == OPEN
    # 10:00 in Cologne in October (CEST) is 08:00 UTC
    assert entry.measured_at == datetime(2026, 10, 5, 8, 0, 3, tzinfo=UTC)


def test_closed_office_and_notice() -> None:
    [entry] = parse_feed(
        feed(item(status="2", sondertext="Heute geschlossen", wartezeit_minuten=""))
    ).offices
    assert entry.state == CLOSED
    assert entry.notice == "Heute geschlossen"


def test_the_key_is_stable_across_spellings() -> None:
    assert office_key("Kundenzentrum Mülheim") == "muelheim"
    assert office_key("  kundenzentrum  MÜLHEIM ") == "muelheim"
    assert office_key("Kfz-Zulassungsstelle") == "kfz-zulassungsstelle"


@pytest.mark.parametrize(
    ("broken", "named"),
    [
        (item(status="7"), True),  # an unknown status is never "open"
        (item(status=None), True),
        (item(status=...), True),  # absent
        (item(status=1), True),  # a number where the protocol sends a string
        (item(wartezeit_minuten="viel"), True),
        (item(wartezeit_minuten="-5"), True),
        (item(wartezeit_minuten="99999"), True),
        (item(wartezeit_minuten=19), True),
        (item(wartezeit_minuten=""), True),  # open without a wait
        (item(timestamp="gestern"), True),
        (item(timestamp=...), True),
        (item(title_anz={"x": 1}), False),  # never an office called "{'x': 1}"
        (item(title_anz=""), False),
        (item(title_anz="!!!"), False),
        ("junk", False),
        (None, False),
        ([item()], False),
    ],
)
def test_a_broken_entry_is_rejected_on_its_own(broken: Any, named: bool) -> None:
    good = item(title_anz="Kundenzentrum Porz")
    read = parse_feed(feed(good, broken))
    assert [o.key for o in read.offices] == ["porz"]
    [problem] = read.problems
    assert problem.position == 1
    assert (problem.name == "Kundenzentrum Ehrenfeld") is named


@pytest.mark.parametrize(
    "body",
    [
        {"success": False, "items": []},
        {"success": True},
        {"success": "true", "items": []},
        {"success": True, "items": {"0": item()}},
        [],
        "<html>",
        None,
    ],
)
def test_an_answer_that_is_not_the_feed_is_bad_data(body: object) -> None:
    with pytest.raises(BadData):
        parse_feed(body)


def test_an_office_listed_twice_is_not_guessed() -> None:
    read = parse_feed(feed(item(wartezeit_minuten="5"), item(wartezeit_minuten="50")))
    assert read.offices == []
    assert [p.reason for p in read.problems] == ["listed twice"]


def known() -> WaitingTimes:
    return parse_feed(
        feed(
            item(title_anz="Kundenzentrum Kalk", wartezeit_minuten="12"),
            item(title_anz="Kundenzentrum Porz", wartezeit_minuten="9"),
            item(title_anz="Kundenzentrum Rodenkirchen", wartezeit_minuten="14"),
        )
    )


def test_unreadable_and_missing_offices_keep_their_last_good_value() -> None:
    latest = parse_feed(
        feed(
            item(title_anz="Kundenzentrum Kalk", status="7", timestamp="2026-10-05 10:05:00"),
            item(title_anz={"x": 1}, wartezeit_minuten="100"),  # Rodenkirchen, garbled
            "Porz as a string",
        )
    )
    merged = merge(latest, known())
    by_key = {o.key: o for o in merged.offices}
    assert set(by_key) == {"kalk", "porz", "rodenkirchen"}  # nobody renamed or lost
    assert (by_key["kalk"].kept, by_key["kalk"].wait_minutes) == (UNREADABLE, 12)
    assert by_key["kalk"].measured_at == known().get("kalk").measured_at  # type: ignore[union-attr]
    assert (by_key["porz"].kept, by_key["rodenkirchen"].kept) == (MISSING, MISSING)
    assert by_key["rodenkirchen"].wait_minutes == 14
    freshness = merged.freshness(NOW)
    assert (freshness.unreadable, freshness.kept) == (3, 3)
    assert not freshness.all_current


def test_an_empty_answer_keeps_every_last_good_value() -> None:
    merged = merge(parse_feed(feed()), known())
    assert {o.key: o.kept for o in merged.offices} == {
        "kalk": MISSING,
        "porz": MISSING,
        "rodenkirchen": MISSING,
    }


def test_an_office_never_read_well_is_unknown_not_open() -> None:
    merged = merge(parse_feed(feed(item(status="7"))), None)
    [office] = merged.offices
    assert (office.key, office.state, office.kept) == ("ehrenfeld", UNKNOWN, UNREADABLE)
    assert office.wait_minutes is None and not office.is_open


def test_a_good_value_replaces_a_kept_one() -> None:
    kept = merge(parse_feed(feed()), known())
    again = merge(known(), kept)
    assert all(o.kept == "" for o in again.offices)
    assert again.freshness(NOW).all_current


def test_a_frozen_feed_is_not_current() -> None:
    frozen = parse_feed(feed(item(timestamp="2026-10-02 10:00:00")))
    freshness = frozen.freshness(NOW)
    assert (freshness.total, freshness.stale) == (1, 1)
    assert freshness.newest == frozen.offices[0].measured_at
    assert not freshness.all_current
    assert not frozen.offices[0].is_current(NOW)
    assert frozen.offices[0].is_current(frozen.offices[0].measured_at + timedelta(minutes=19))  # type: ignore[operator]


def test_a_value_from_the_future_is_not_current() -> None:
    ahead = parse_feed(feed(item(timestamp="2026-10-05 11:00:00")))
    assert not ahead.offices[0].is_current(NOW)
