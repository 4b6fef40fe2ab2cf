"""The app's services in a process of their own, for the tests that kill the app (SIGKILL)
while answers wait or are being sent: the same wiring as `koeln-app` (`build_services`), driven
from the command line so the test can kill it at any point.

    python -m tests.app.participation_child open|answer|send --data-dir D --backend URL
        --clock 2026-11-23T10:00 [--survey ID] [--count N]

open: read the survey (as a person who opened it while online; it is saved for offline use).
answer: N people answer it with the saved copy (the backend may be down), then wait to be killed.
send: what the app does when it starts: flush the outbox until nothing waits, say how it went.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from app.settings import SOURCE_PATHS
from app.wiring import build_services
from services.clock import StartedClock, parse_clock
from services.hub import SourceUrls
from services.participation.answers import Answers, problems, visible
from services.participation.models import Question, Survey
from services.participation.service import RESPONSE
from services.people import new_person_id


def some_answer(q: Question, n: int) -> Any:
    """A valid answer to `q`, varied by `n`."""
    options = [o.id for o in q.options]
    low, high = (q.scale.min, q.scale.max) if q.scale else (1, 5)
    match q.kind:
        case "single_choice":
            return options[n % len(options)]
        case "multiple_choice":
            return options[: 1 + n % min(len(options), q.max_choices or len(options))]
        case "likert":
            return low + n % (high - low + 1)
        case "likert_matrix":
            return {s.id: low + n % (high - low + 1) for s in q.statements}
        case "ranking":
            return options[n % len(options) :] + options[: n % len(options)]
        case _:
            return f"Antwort {n}"


def answers_for(survey: Survey, n: int) -> Answers:
    """Every question asked answered, also those an answer opens."""
    answers: Answers = {}
    while missing := [q for q in visible(survey, answers) if q.id not in answers]:
        for q in missing:
            answers[q.id] = some_answer(q, n)
    assert not problems(survey, answers), problems(survey, answers)
    return answers


async def run(args: argparse.Namespace) -> None:
    urls = SourceUrls(**{name: args.backend + path for name, path in SOURCE_PATHS.items()})
    services = build_services(urls, args.data_dir, clock=StartedClock(parse_clock(args.clock)))
    participation = services.participation
    try:
        if args.mode == "open":
            await participation.survey(args.survey)
            print("saved", flush=True)
        elif args.mode == "answer":
            survey = participation.saved_survey(args.survey)
            assert survey is not None, "open the survey first"
            for n in range(args.count):
                key = participation.submit(new_person_id(), survey, answers_for(survey, n))
                print("answered", key, flush=True)
            await participation.send()  # the backend is down: they stay in the outbox
            print("waiting", services.outbox.pending_count(kind=RESPONSE), flush=True)
            await asyncio.sleep(3600)  # until killed
        else:
            print("sending", flush=True)
            while services.outbox.pending_count(kind=RESPONSE):
                await services.outbox.flush()  # as the app's flush job does, first at start
                await asyncio.sleep(0.05)
            with services.store.transaction() as db:
                states = [r[0] for r in db.execute("SELECT state FROM surveysubmission")]
            print("sent", " ".join(sorted(states)), flush=True)
    finally:
        await services.aclose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["open", "answer", "send"])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--clock", required=True)
    parser.add_argument("--survey", default="smart-city-sensoren")
    parser.add_argument("--count", type=int, default=3)
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main(sys.argv[1:])
