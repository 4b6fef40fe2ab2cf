"""The route table: each route declared once, every screen fits its pattern, URLs match."""

from __future__ import annotations

import inspect

import pytest

from app.routes import NOT_FOUND, PARAM_TYPES, ROUTES, TITLES, match
from views.areas import BAR, IN_MORE, WIDE_BAR, bar_area


def test_every_screen_takes_exactly_the_parameters_of_its_pattern() -> None:
    for spec in ROUTES:
        signature = inspect.signature(spec.screen)
        names = list(signature.parameters)
        assert names[0] == "ctx", spec.name
        required = [
            n for n in names[1:] if signature.parameters[n].default is inspect.Parameter.empty
        ]
        assert required == spec.params, f"{spec.name}: {spec.pattern} vs {names}"


def test_routes_are_declared_once_with_typed_parameters_areas_and_parents() -> None:
    names = [spec.name for spec in ROUTES]
    patterns = [spec.pattern for spec in ROUTES]
    assert len(set(names)) == len(names) and len(set(patterns)) == len(patterns)
    areas = {area.key for area in [*WIDE_BAR, *BAR]}
    for spec in [*ROUTES, NOT_FOUND]:
        assert TITLES[spec.name], spec.name  # the document title names every screen
    for spec in ROUTES:
        assert set(spec.params) <= set(PARAM_TYPES), spec.name
        assert spec.kiosk or spec.area in areas, spec.name
        if spec.parent is not None:
            assert match(spec.parent).spec in ROUTES, spec.name


def test_every_area_is_reached_and_marked_from_the_phones_bar() -> None:
    in_bar = {area.key for area in BAR}
    for area in WIDE_BAR:
        assert area.key in in_bar or area in IN_MORE, area.key
        assert bar_area(area.key) in in_bar, area.key
    assert bar_area("data") == bar_area("sensors") == bar_area("settings") == "more"


@pytest.mark.parametrize(
    ("url", "name", "params"),
    [
        ("/", "home", {}),
        ("/waiting?x=1", "waiting", {}),
        (
            "/waiting/ticket/kalk/20261005.3.abc_-",
            "ticket",
            {"office": "kalk", "token": "20261005.3.abc_-"},
        ),
        ("/waiting/number/porz/A017", "number", {"office": "porz", "number": "A017"}),
        ("/kiosk/calls/", "kiosk_calls", {}),
        ("/sensors/abc-123", "datastream", {"datastream": "abc-123"}),
        ("/data/verkehr%2Dzaehlung", "dataset", {"dataset": "verkehr-zaehlung"}),
        ("/participate/offene-daten", "survey", {"survey": "offene-daten"}),
        ("/participate/join", "join", {}),  # not a survey called "join"
        ("/participate/join/KDW7PX", "event", {"code": "KDW7PX"}),
        ("/participate/tablet/KDW7PX", "tablet", {"code": "KDW7PX"}),
        ("/participate/join/KDW7PX/wall", "wall", {"code": "KDW7PX"}),
        ("/participate/offene-daten/results", "results", {"survey": "offene-daten"}),
    ],
)
def test_urls_open_their_screen(url: str, name: str, params: dict[str, str]) -> None:
    route = match(url)
    assert (route.name, route.params) == (name, params)


@pytest.mark.parametrize(
    "url",
    [
        "/nowhere",
        "/waiting/ticket/Kalk!/x",  # not a Kundenzentrum's short name
        "/waiting/ticket/kalk/" + "x" * 5000,
        "/waiting/ticket/kalk/a%00b",
        "/waiting/ticket/kalk/a%0d%0ab",
        "/waiting/number/kalk/17",  # not a number as printed
        "/waiting/ticket/kalk/a/b",
        "/participate/join/KD!",  # not a join code
        "/participate/join/" + "K" * 21,
        "/participate/tablet/a%20b",
    ],
)
def test_anything_else_is_not_found(url: str) -> None:
    assert match(url).spec is NOT_FOUND


def test_the_workshop_tablet_keeps_nothing_per_person() -> None:
    assert match("/participate/tablet/KDW7PX").spec.kiosk
    assert not match("/participate/join/KDW7PX").spec.kiosk


def test_a_survey_id_is_never_a_step_up_the_path() -> None:
    assert match("/participate/..").name == "not_found"
    assert match("/participate/./results").name == "not_found"
    assert match("/participate/v1.2").params == {"survey": "v1.2"}
