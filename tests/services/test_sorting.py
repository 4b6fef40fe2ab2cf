"""Sorting the Kundenzentren: by wait, by name, by distance from where the person stands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.city_names import city_name
from services.i18n import Translator
from services.waiting_times.feed import CLOSED, OPEN, WaitingTime, office_key
from services.waiting_times.queue import Geo
from services.waiting_times.sorting import (
    Position,
    distance_km,
    sort_by_distance,
    sort_by_wait_or_name,
)

NOW = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def entry(office: str, minutes: int | None, *, is_open: bool = True, age: int = 1) -> WaitingTime:
    return WaitingTime(
        key=office_key(office),
        office=office,
        measured_at=NOW - timedelta(minutes=age),
        wait_minutes=minutes,
        state=OPEN if is_open else CLOSED,
    )


def test_distance_from_the_cathedral_to_porz_is_about_ten_km() -> None:
    dom = Position(50.9413, 6.9583)
    assert 9.0 < distance_km(dom, Geo(lat=50.8799, lon=7.0597)) < 10.5
    assert distance_km(dom, Geo(lat=dom.lat, lon=dom.lon)) == 0.0


def test_nearest_first_and_offices_without_coordinates_last() -> None:
    entries = [entry("Porz", 5), entry("Chorweiler", 50), entry("Kfz", 1), entry("Kalk", 30)]
    geo = {  # by the offices' stable keys
        "porz": Geo(lat=50.8799, lon=7.0597),
        "chorweiler": Geo(lat=51.0276, lon=6.8957),
        "kalk": Geo(lat=50.9380, lon=7.0020),
    }
    near_porz = Position(50.87, 7.06)
    order = [(e.office, km is not None) for e, km in sort_by_distance(entries, geo, near_porz)]
    assert order == [("Porz", True), ("Kalk", True), ("Chorweiler", True), ("Kfz", False)]


def test_shortest_wait_first_with_closed_and_unknown_last() -> None:
    entries = [entry("B", 30), entry("A", None), entry("C", 5), entry("D", 0, is_open=False)]
    assert [e.office for e in sort_by_wait_or_name(entries, "wait")] == ["C", "B", "A", "D"]
    assert [e.office for e in sort_by_wait_or_name(entries, "name")] == ["A", "B", "C", "D"]


def test_an_old_short_wait_does_not_come_first() -> None:
    entries = [entry("B", 30), entry("C", 5, age=3 * 24 * 60)]
    assert [e.office for e in sort_by_wait_or_name(entries, "wait", NOW)] == ["B", "C"]


def test_by_name_follows_the_names_as_the_person_reads_them() -> None:
    entries = [entry("Kfz-Zulassungsstelle", 5), entry("Kundenzentrum Porz", 5)]
    assert [e.office for e in sort_by_wait_or_name(entries, "name")] == [
        "Kfz-Zulassungsstelle",
        "Kundenzentrum Porz",
    ]
    translator = Translator("en")
    in_english = sort_by_wait_or_name(entries, "name", shown=lambda n: city_name(translator, n))
    # "Kundenzentrum Porz" before "Vehicle registration office"
    assert [e.office for e in in_english] == ["Kundenzentrum Porz", "Kfz-Zulassungsstelle"]
