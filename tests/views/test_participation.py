"""The participation screens without a browser, against the stub in-process: measures by
pillar, a control per kind of question, ranking by buttons, the review's problems, sending to
a counted receipt, the results wall's threshold, and the workshop tablet starting afresh."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import flet as ft
import pytest

from services.clock import FixedClock
from services.errors import Offline
from services.hub import AppServices, KioskConfig
from services.i18n import Translator
from services.participation.models import QuestionResult
from services.people import new_person_id
from services.waiting_times.qr import read_qr_texts
from tests.views.controls import texts, walk
from views import participation
from views.context import ScreenContext
from views.participation import results, wall, workshop
from views.participation.results import question_body

pytestmark = pytest.mark.anyio

EVENT = "KDW7PX"  # the stub's seeded workshop


def context(
    services: AppServices, routes: list[str] | None = None, person: str | None = None
) -> ScreenContext:
    def run_task(work: Any, *args: Any) -> asyncio.Future[Any]:
        return asyncio.ensure_future(work(*args))

    return ScreenContext(
        SimpleNamespace(run_task=run_task),  # type: ignore[arg-type]
        services,
        Translator("en"),
        (routes if routes is not None else []).append,
        lambda _locale: None,
        person=person,
    )


async def settle() -> None:
    for _ in range(60):
        await asyncio.sleep(0.01)


def shown(screen: ft.Control) -> str:
    return "\n".join(texts(screen))


def find(screen: ft.Control, kind: type, test: Callable[[Any], bool] = lambda _c: True) -> Any:
    found = [c for c in walk(screen) if isinstance(c, kind) and test(c)]
    assert found, f"no {kind.__name__} found"
    return found[0]


def click(screen: ft.Control, label: str) -> None:
    button = find(
        screen,
        ft.Button | ft.OutlinedButton,  # type: ignore[arg-type]
        lambda c: c.content == label,
    )
    assert not button.disabled
    button.on_click(None)


def group(screen: ft.Control, label: str) -> ft.RadioGroup:
    """The radio group a screen reader names `label`."""
    named = find(
        screen, ft.Semantics, lambda c: c.label == label and isinstance(c.content, ft.RadioGroup)
    )
    return named.content  # type: ignore[no-any-return]


def choose(screen: ft.Control, label: str, value: str) -> None:
    radios = group(screen, label)
    assert value in [r.value for r in walk(radios) if isinstance(r, ft.Radio)]
    radios.value = value
    radios.on_change(SimpleNamespace(control=radios))  # type: ignore[misc, arg-type]


def tick(screen: ft.Control, label: str) -> ft.Checkbox:
    box: ft.Checkbox = find(screen, ft.Checkbox, lambda c: c.label == label)
    box.value = True
    box.on_change(SimpleNamespace(control=box))  # type: ignore[misc, arg-type]
    return box


async def test_the_measures_are_grouped_by_the_three_pillars_with_their_surveys(
    services: AppServices,
) -> None:
    await services.coordinators.surveys.refresh()
    routes: list[str] = []
    ctx = context(services, routes, new_person_id())
    screen = participation.build(ctx)
    await settle()
    words = shown(screen)
    for pillar in ("Digitale Verwaltung", "Smart City", "Datenökonomie"):
        assert pillar in texts(screen), pillar
    assert "LoRaWAN-Sensornetz" in words and "Status: In progress" in words
    assert "Status: Completed" in words and "Status: Planned" in words  # in words, not colour
    assert "Anonymous: no account, no name." in words
    # the open surveys come first, then again under their measures
    top = texts(screen).index("Open surveys")
    assert top < texts(screen).index("Digitale Verwaltung")
    tiles = [c for c in walk(screen) if isinstance(c, ft.ListTile)]
    assert len(tiles) == 6
    tile = find(
        screen,
        ft.ListTile,
        lambda t: t.title.value == "Datenökonomie: Offene Daten standardmäßig",
    )
    assert "Open until" in tile.subtitle.value
    tile.on_click(None)
    assert routes == ["/participate/offene-daten"]
    assert any(isinstance(c, ft.TextField) and c.label == "Workshop code" for c in walk(screen))
    ctx.leave()
    assert ctx.holds == 0


async def test_every_kind_of_question_has_its_accessible_control(services: AppServices) -> None:
    ctx = context(services, person=new_person_id())
    screens = {}
    for survey in ("masterplan-prioritaeten", "offene-daten", "smart-city-sensoren"):
        screens[survey] = participation.build_survey(ctx, survey)
    await settle()
    first, data, smart = screens.values()
    # single choice: a named radio group
    nutzen = group(first, "Welche Maßnahme nutzt Ihnen am meisten?")
    assert len([r for r in walk(nutzen) if isinstance(r, ft.Radio)]) == 5
    # multiple choice: checkboxes with the limit in words
    assert "Choose up to 3 options." in shown(first)
    assert len([c for c in walk(first) if isinstance(c, ft.Checkbox)]) == 4
    # Likert: radios in a row, each named by its value and the scale's word
    likert = group(first, "Wie zufrieden sind Sie mit den Online-Diensten der Stadt?")
    labels = [r.label for r in walk(likert) if isinstance(r, ft.Radio)]
    assert labels[0] == "1 – sehr unzufrieden" and labels[-1] == "5 – sehr zufrieden"
    # free text: a field with its limit and what is left in words
    hints = find(first, ft.TextField, lambda f: f.label == "Was sollen wir noch wissen?")
    assert hints.max_length == 1000 and "1000 characters left." in shown(first)
    # Likert matrix: a named group per statement
    matrix = group(data, "Wie wichtig sind Ihnen diese Daten?: Umwelt und Luftqualität")
    assert [r.label for r in walk(matrix) if isinstance(r, ft.Radio)][3] == "4 – wichtig"
    # ranking: places in text and labelled buttons to move each item
    assert "1. LoRaWAN-Sensornetz" in texts(smart)
    up = find(smart, ft.IconButton, lambda b: b.tooltip == "Move Smart Education up")
    assert up.icon.semantics_label == "Move Smart Education up" and up.width >= 48
    # progress in words and as a labelled bar
    assert "0 of 4 questions answered" in texts(first)
    assert "Question 1 of 4" in texts(first)
    bar = find(first, ft.ProgressBar)
    assert bar.semantics_label == "Progress: 0 of 4 questions answered"
    ctx.leave()


async def test_a_conditional_question_appears_with_its_answer(services: AppServices) -> None:
    ctx = context(services, person=new_person_id())
    screen = participation.build_survey(ctx, "masterplan-prioritaeten")
    await settle()
    follow_up = "Was fehlt Ihnen bei der Online-Terminbuchung noch?"
    assert follow_up not in texts(screen)
    choose(screen, "Welche Maßnahme nutzt Ihnen am meisten?", "termine")
    assert follow_up in texts(screen)
    assert "1 of 5 questions answered" in texts(screen)
    choose(screen, "Welche Maßnahme nutzt Ihnen am meisten?", "kfz")
    assert follow_up not in texts(screen)
    assert "1 of 4 questions answered" in texts(screen)
    ctx.leave()


async def test_more_choices_than_allowed_are_refused_in_words(services: AppServices) -> None:
    ctx = context(services, person=new_person_id())
    screen = participation.build_survey(ctx, "smart-city-sensoren")
    await settle()
    tick(screen, "Am Rheinufer")
    tick(screen, "In Parks")
    third = tick(screen, "An Schulen")
    assert third.value is False
    assert "You can choose up to 2 options. Remove one to choose another." in texts(screen)
    assert ctx.drafts["survey:smart-city-sensoren"]["orte"] == ["rhein", "parks"]
    ctx.leave()


async def test_moving_an_item_up_changes_the_order_shown(services: AppServices) -> None:
    ctx = context(services, person=new_person_id())
    screen = participation.build_survey(ctx, "smart-city-sensoren")
    await settle()
    assert texts(screen).index("1. LoRaWAN-Sensornetz") < texts(screen).index(
        "2. Städtisches WLAN und 5G"
    )
    up = find(screen, ft.IconButton, lambda b: b.tooltip == "Move Städtisches WLAN und 5G up")
    up.on_click(None)
    assert "1. Städtisches WLAN und 5G" in texts(screen)
    assert "2. LoRaWAN-Sensornetz" in texts(screen)
    assert "Städtisches WLAN und 5G is now in place 1." in texts(screen)
    top = find(screen, ft.IconButton, lambda b: b.tooltip == "Move Städtisches WLAN und 5G up")
    assert top.disabled  # the first cannot go higher
    assert ctx.drafts["survey:smart-city-sensoren"]["reihenfolge"][:2] == ["wlan", "sensoren"]
    ctx.leave()


async def test_the_review_names_a_missing_answer(services: AppServices) -> None:
    ctx = context(services, person=new_person_id())
    screen = participation.build_survey(ctx, "offene-daten")
    await settle()
    choose(screen, "Nutzen Sie offene Daten der Stadt?", "privat")
    click(screen, "Review answers")
    words = shown(screen)
    assert "Review your answers" in words
    assert "2 answers need your attention before sending." in words
    assert words.count("Problem: Please answer this question.") == 2
    assert "Ja, privat" in words  # the answer given, in words
    first_change = find(screen, ft.OutlinedButton, lambda b: b.content == "Change")
    assert first_change.autofocus  # the first problem takes the focus
    click(screen, "Send answers")
    assert services.participation.pending(ctx.person) == 0  # nothing was sent
    assert "Review your answers" in shown(screen)
    first_change.on_click(None)  # back to the questions: the problems stand beside them
    assert shown(screen).count("Problem: Please answer this question.") == 2
    choose(screen, "Soll die Stadt eine eigene KI-Plattform aufbauen?", "ja")
    assert shown(screen).count("Problem: Please answer this question.") == 1
    ctx.leave()


async def answer_open_data(screen: ft.Control) -> None:
    question = "Wie wichtig sind Ihnen diese Daten?"
    for statement, value in [
        ("Verkehr und Baustellen", "5"),
        ("Umwelt und Luftqualität", "4"),
        ("Haushalt der Stadt", "3"),
        ("Bauen und Wohnen", "2"),
    ]:
        choose(screen, f"{question}: {statement}", value)
    choose(screen, "Nutzen Sie offene Daten der Stadt?", "privat")
    choose(screen, "Soll die Stadt eine eigene KI-Plattform aufbauen?", "ja")


async def test_a_full_answer_is_sent_and_counted(services: AppServices) -> None:
    person = new_person_id()
    ctx = context(services, person=person)
    screen = participation.build_survey(ctx, "offene-daten")
    await settle()
    await answer_open_data(screen)
    assert "3 of 3 questions answered" in texts(screen)  # "wofür" is not asked
    click(screen, "Review answers")
    words = shown(screen)
    assert "Everything is ready. Check your answers, then send them." in words
    assert "Umwelt und Luftqualität: 4 – wichtig" in words
    click(screen, "Send answers")
    await services.participation.send()
    await settle()
    words = shown(screen)
    assert "Your answer was counted. Thank you!" in words
    assert "Receipt reference: " in words
    ctx.leave()
    again = context(services, person=person)  # coming back later
    later = participation.build_survey(again, "offene-daten")
    await settle()
    assert "You have already taken part in this survey." in texts(later)
    assert not any(isinstance(c, ft.RadioGroup) for c in walk(later))
    again.leave()


async def test_a_second_tap_on_send_sends_nothing_more(services: AppServices) -> None:
    ctx = context(services, person=new_person_id())
    screen = participation.build_survey(ctx, "offene-daten")
    await settle()
    await answer_open_data(screen)
    click(screen, "Review answers")
    send = [c for c in walk(screen) if isinstance(c, ft.Button) and c.content == "Send answers"]
    assert send
    click(screen, "Send answers")
    send[0].on_click(None)  # type: ignore[call-arg, arg-type, misc]  # the old button, again
    with services.store.transaction() as db:
        assert db.execute("SELECT count(*) FROM surveysubmission").fetchone()[0] == 1
    await services.participation.send()
    ctx.leave()


async def test_offline_the_answer_waits_and_says_so(services: AppServices) -> None:
    person = new_person_id()
    ctx = context(services, person=person)
    screen = participation.build_survey(ctx, "offene-daten")
    await settle()  # the survey is saved now
    overview = participation.build(ctx)

    def refuse(*_args: Any) -> Any:
        from services.errors import Offline

        raise Offline("no connection")

    services.participation.client.send_response = refuse  # type: ignore[method-assign]
    await answer_open_data(screen)
    click(screen, "Review answers")
    click(screen, "Send answers")
    await settle()
    assert "Your answer is saved and will be sent when the connection is back." in texts(screen)
    assert "1 answer waits to be sent; it is sent as soon as there is a connection." in texts(
        overview
    )
    ctx.leave()


async def test_a_survey_neither_loadable_nor_saved_offers_a_retry(
    offline_services: AppServices,
) -> None:
    ctx = context(offline_services, person=new_person_id())
    screen = participation.build_survey(ctx, "offene-daten")
    await settle()
    assert any("cannot be loaded right now" in line for line in texts(screen))
    click(screen, "Try again")
    await settle()
    assert any("cannot be loaded right now" in line for line in texts(screen))
    ctx.leave()


async def test_results_show_the_threshold_then_the_numbers_as_they_come(
    services: AppServices, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "REFRESH_SECONDS", 0.05)
    ctx = context(services)
    wall = participation.build_results(ctx, "smart-city-sensoren")
    await settle()
    words = shown(wall)
    assert "Smart City: Sensoren und offenes WLAN" in words
    assert "0 people have taken part." in words
    assert words.count("Fewer than 5 answers – not shown yet.") == 3
    assert f"Updated at {ctx.tr.time(clock.now())}." in words
    survey = await services.participation.survey("smart-city-sensoren")
    for i in range(5):
        services.participation.submit(
            None,
            survey,
            {
                "reihenfolge": ["wlan", "sensoren", "zwilling", "schulen"],
                "sensordaten_helfen": 4 if i < 3 else 2,
                "orte": ["rhein"],
            },
            shared_device=True,
        )
    await services.participation.send()
    clock.advance(timedelta(minutes=1))  # the results shared by all sessions are fetched again
    await settle()  # the wall refreshed itself
    words = shown(wall)
    assert "5 people have taken part." in words
    assert "Fewer than 5 answers" not in words
    assert "1. Am Rheinufer: 100% (5 answers)" in words
    assert "Mean: 3.2" in words
    assert "1. Städtisches WLAN und 5G: 15 points, mean place 1, first 5 times" in words
    assert f"Updated at {ctx.tr.time(clock.now())}." in words  # a minute later
    ctx.leave()
    await settle()
    assert ctx.holds == 0  # no refreshing after the wall is gone


async def test_a_likert_matrix_and_approved_free_texts_on_the_wall(services: AppServices) -> None:
    survey = await services.participation.survey("offene-daten")
    values = {"verkehr": 5, "umwelt": 4, "haushalt": 3, "bauen": 2}
    for _i in range(5):
        answers = {"wichtigkeit": values, "nutzung": "privat", "ki_plattform": "ja"}
        services.participation.submit(None, survey, answers, shared_device=True)
    await services.participation.send()
    ctx = context(services)
    wall = participation.build_results(ctx, "offene-daten")
    await settle()
    words = shown(wall)
    assert "1. Verkehr und Baustellen: mean 5" in words
    assert "4. Bauen und Wohnen: mean 2" in words
    assert "2. Ja, privat: 100% (5 answers)" in words
    # the follow-up only people using the data at work are asked: nobody was
    assert "Fewer than 5 answers – not shown yet." in words
    ctx.leave()
    free = QuestionResult(
        id="hinweise",
        kind="free_text",
        text="Hinweise?",
        answered=7,
        shown=True,
        texts=["Mehr WLAN"],
    )
    assert "„Mehr WLAN“" in shown(ft.Column(question_body(ctx, free, 5)))
    free.texts = []
    assert "No approved answers yet." in shown(ft.Column(question_body(ctx, free, 5)))


async def test_the_workshop_is_joined_by_its_code(services: AppServices) -> None:
    routes: list[str] = []
    ctx = context(services, routes, new_person_id())
    screen = participation.build_join(ctx)
    field = find(screen, ft.TextField, lambda f: f.label == "Workshop code")
    field.value = "nope12"
    click(screen, "Join")
    await settle()
    assert field.error == "No workshop has this code. Please check it."
    assert routes == []
    field.value = "kdw-7px"  # as typed: case and dashes do not matter
    click(screen, "Join")
    await settle()
    assert routes == [f"/participate/join/{EVENT}"]
    event = participation.build_event(ctx, EVENT)
    await settle()
    words = shown(event)
    assert "KölnDigital-Workshop: Smart City im Veedel" in words
    assert "Smart City: Sensoren und offenes WLAN" in words
    ctx.leave()


async def test_the_projector_shows_how_to_join_and_the_live_results(
    services: AppServices,
) -> None:
    services.app_origins = ["http://127.0.0.1:8550", "https://app.stadt-koeln.example"]
    ctx = context(services)  # a shared screen: nobody's
    wall = participation.build_wall(ctx, EVENT.lower())
    await settle()
    words = shown(wall)
    assert "KölnDigital-Workshop: Smart City im Veedel" in words
    assert EVENT in words  # the code, to type
    assert "https://app.stadt-koeln.example/participate/join" in words
    picture = find(wall, ft.Image)
    assert picture.semantics_label.startswith("QR code to take part in")
    # what a phone's camera reads from it: the public join link of this workshop
    assert read_qr_texts(picture.src) == [
        f"https://app.stadt-koeln.example/participate/join/{EVENT}"
    ]
    assert "Smart City: Sensoren und offenes WLAN" in words  # its survey's results
    assert "0 people have taken part." in words
    ctx.leave()


async def test_an_unknown_workshop_on_the_projector_says_so(services: AppServices) -> None:
    ctx = context(services)
    wall = participation.build_wall(ctx, "NOPE12")
    await settle()
    assert "No workshop has this code. Please check it." in shown(wall)
    ctx.leave()


async def test_the_projector_tries_again_by_itself_when_the_workshop_did_not_load(
    services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wall, "RETRY_SECONDS", 0.05)
    real_join = services.participation.join
    calls: list[str] = []

    async def join_once_offline(code: str) -> Any:
        calls.append(code)
        if len(calls) == 1:
            raise Offline("the Wi-Fi of the room is down")
        return await real_join(code)

    monkeypatch.setattr(services.participation, "join", join_once_offline)
    ctx = context(services)
    screen = participation.build_wall(ctx, EVENT)
    await settle()
    await settle()
    assert len(calls) == 2  # nobody tapped "Try again"
    assert "KölnDigital-Workshop: Smart City im Veedel" in shown(screen)
    ctx.leave()


async def answer_smart_city(screen: ft.Control) -> None:
    click(screen, "Keep this order")
    choose(screen, "Sensordaten der Stadt helfen mir im Alltag.", "5")
    tick(screen, "In Parks")


async def test_the_tablet_starts_afresh_after_each_person(
    services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workshop, "THANKS_SECONDS", 0.5)
    ctx = context(services)  # a kiosk route: nobody's data is kept
    screen = participation.build_tablet(ctx, EVENT)
    await settle()
    assert "Please choose a survey" in texts(screen)
    click(screen, "Smart City: Sensoren und offenes WLAN")
    await answer_smart_city(screen)
    click(screen, "Review answers")
    click(screen, "Send answers")
    await services.participation.send()
    words = shown(screen)
    assert "Your answer was counted. Thank you!" in words
    assert any(isinstance(c, ft.Button) and c.content == "Next person" for c in walk(screen))
    await asyncio.sleep(0.3)
    ctx.touched()  # the person scrolls on, still reading: the thank-you stays
    await asyncio.sleep(0.35)
    assert "Your answer was counted. Thank you!" in shown(screen)
    await asyncio.sleep(0.4)
    await settle()
    assert "Please choose a survey" in texts(screen)
    assert "Your answer was counted. Thank you!" not in shown(screen)
    click(screen, "Smart City: Sensoren und offenes WLAN")
    assert "0 of 3 questions answered" in texts(screen)  # an empty form for the next person
    assert services.participation.pending(None) == 0
    ctx.leave()
    await settle()
    assert ctx.holds == 0  # the idle watch ends with the screen


async def test_the_tablet_forgets_a_half_answer_after_a_while_without_touch(
    services: AppServices,
) -> None:
    services.kiosk = KioskConfig(idle_seconds=0.1)
    ctx = context(services)
    screen = participation.build_tablet(ctx, EVENT)
    await settle()
    click(screen, "Smart City: Sensoren und offenes WLAN")
    choose(screen, "Sensordaten der Stadt helfen mir im Alltag.", "5")
    assert "1 of 3 questions answered" in texts(screen)
    await asyncio.sleep(0.3)
    await settle()
    assert "Please choose a survey" in texts(screen)
    ctx.leave()


async def test_an_unknown_survey_says_so_and_leads_to_all_surveys(services: AppServices) -> None:
    routes: list[str] = []
    ctx = context(services, routes, new_person_id())
    screen = participation.build_survey(ctx, "unbekannt")
    await settle()
    assert "There is no survey at this address." in texts(screen)
    click(screen, "All surveys")
    assert routes == ["/participate"]
    ctx.leave()


async def test_a_refusal_is_said_and_a_mendable_one_may_be_sent_again(
    services: AppServices,
) -> None:
    from services.errors import Rejected

    def refuse(*_args: Any) -> Any:
        raise Rejected("unknown code", code="code_unknown")

    services.participation.client.send_response = refuse  # type: ignore[method-assign]
    ctx = context(services, person=new_person_id())
    screen = participation.build_survey(ctx, "offene-daten")
    await settle()
    await answer_open_data(screen)
    click(screen, "Review answers")
    click(screen, "Send answers")
    await services.participation.send()
    assert "This participation code is unknown." in texts(screen)
    click(screen, "Check the answers and send them again")
    assert "Review your answers" in shown(screen)  # the answers are still there
    assert "Everything is ready. Check your answers, then send them." in shown(screen)
    ctx.leave()
