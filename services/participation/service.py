"""Taking part in surveys: surveys, measures and results fetched once for everybody, and a
person's answers sent through the outbox so they are counted exactly once, also offline.

Who answers is a random device token, made on the person's first answer and kept with their
settings (never derived from their id), or a workshop's participation code. A shared device
(the kiosk, a workshop tablet) sends a fresh token with each person's answers and keeps nothing
once they are delivered. The server keeps the token apart from the answers.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

from pydantic import TypeAdapter, ValidationError

from services.cache import ResourceCache
from services.clock import Clock
from services.connectivity import Connectivity
from services.errors import BadData, NotFound, ServerError, ServiceError, is_transient
from services.i18n import N_
from services.listeners import Listeners
from services.local_store import LocalStore, from_db, to_db
from services.outbox import FlushResult, Outbox
from services.participation.answers import Answers, Problem, body, problems
from services.participation.client import ParticipationClient
from services.participation.models import Event, Pillar, Receipt, Results, Survey
from services.people import People
from services.preferences import Preferences
from services.shared_fetch import SharedFetches

log = logging.getLogger(__name__)

T = TypeVar("T")

RESPONSE = "survey_response"  # the outbox's kind for a person's answers
SOURCE = "participation"
TOKEN_KEY = "participation_token"  # the person's device token, among their settings
SURVEY_KEEP = timedelta(seconds=60)
MEASURES_KEEP = timedelta(minutes=10)
RESULTS_KEEP = timedelta(seconds=3)  # a results wall and many phones: one request per 3 s
EVENT_KEEP = timedelta(seconds=30)  # a room joining at once: one request; new surveys soon
SURVEYS_KEPT = 32
RECENT_KEPT = 256  # outcomes of shared-device answers, in memory only
SURVEY_CACHE = "participation.survey:"
MEASURES_CACHE = "participation.measures"
PILLARS: TypeAdapter[list[Pillar]] = TypeAdapter(list[Pillar])

State = Literal["waiting", "counted", "refused"]

# The server's codes (`detail.code`) as words for people; answers that no longer fit the
# survey (it changed after it was opened) share one message.
NOT_COUNTED = N_("Your answers could not be counted.")
NO_LONGER_FITTING = N_(
    "Your answers no longer fit this survey; please check them and send them again."
)
MESSAGES: dict[str, str] = {
    "survey_closed": N_("This survey is closed; your answer could not be counted."),
    "survey_not_open": N_("This survey is not open yet; your answer could not be counted."),
    "survey_unknown": N_("This survey no longer exists."),
    "already_answered": N_("You have already taken part in this survey."),
    "code_unknown": N_("This participation code is unknown."),
    "code_used": N_("This participation code has already been used."),
    "code_required": N_("This survey is for a workshop: please enter your participation code."),
    "event_unknown": N_("No workshop has this code. Please check it."),
    "text_too_long": N_("Your text is too long; please shorten it."),
    "answer_missing": NO_LONGER_FITTING,
    "answer_not_expected": NO_LONGER_FITTING,
    "answer_wrong_kind": NO_LONGER_FITTING,
    "answer_duplicate": NO_LONGER_FITTING,
    "question_unknown": NO_LONGER_FITTING,
    "choice_invalid": NO_LONGER_FITTING,
    "too_many_choices": NO_LONGER_FITTING,
    "value_out_of_range": NO_LONGER_FITTING,
    "statement_unknown": NO_LONGER_FITTING,
    "ranking_invalid": NO_LONGER_FITTING,
}
OFFLINE = N_("No connection. Please try again later.")


def message_for(error: ServiceError) -> str:
    """The msgid that tells a person what went wrong (a refusal by its code, else its kind)."""
    if error.code in MESSAGES:
        return MESSAGES[error.code]
    if is_transient(error):
        return OFFLINE
    return NOT_COUNTED


def no_longer_fits(code: str | None) -> bool:
    """Whether a refusal says the survey changed since the answers were given."""
    return code is not None and MESSAGES.get(code) == NO_LONGER_FITTING


def normalise_code(typed: str) -> str:
    """A join or participation code as typed, as the server reads it: capitals, no spaces or
    dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def new_token() -> str:
    """A fresh random device token (32 random bytes): derived from nothing."""
    return secrets.token_urlsafe(32)


class AnswersInvalid(ValueError):
    """The answers cannot be sent as they are; `problems` says where and why."""

    def __init__(self, found: dict[str, Problem]) -> None:
        super().__init__(f"{len(found)} answers need attention: {', '.join(found)}")
        self.problems = found


@dataclass(frozen=True)
class Submission:
    """A person's answers to one survey as this device knows them (never the answers)."""

    key: str  # the idempotency key
    survey_id: str
    state: State
    receipt: str | None = None  # the server's random reference, once counted
    message: str | None = None  # a msgid saying why it was refused
    code: str | None = None  # the server's code of a refusal
    created_at: datetime | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Submission:
        """One row of `surveysubmission`."""
        return cls(
            key=row["idempotency_key"],
            survey_id=row["survey_id"],
            state=row["state"],
            receipt=row["receipt"],
            message=row["message"],
            code=row["code"],
            created_at=from_db(row["created_at"]),
        )


class Participation:
    """Surveys, measures, results and workshops for the screens; answers sent exactly once."""

    def __init__(
        self,
        client: ParticipationClient,
        store: LocalStore,
        outbox: Outbox,
        clock: Clock,
        people: People,
        *,
        connectivity: Connectivity | None = None,
    ) -> None:
        self.client = client
        self._store = store
        self._outbox = outbox
        self._clock = clock
        self._people = people
        self._settings = Preferences(store, people)
        self._cache = ResourceCache(store)
        self._connectivity = connectivity
        self.listeners = Listeners()  # a submission's state changed
        self.surveys: SharedFetches[str, Survey] = SharedFetches(
            self._fetch_survey, clock, keep=SURVEY_KEEP, most=SURVEYS_KEPT
        )
        self.measure_fetches: SharedFetches[str, list[Pillar]] = SharedFetches(
            self._fetch_measures, clock, keep=MEASURES_KEEP, most=1
        )
        self.result_fetches: SharedFetches[str, Results] = SharedFetches(
            self._fetch_results, clock, keep=RESULTS_KEEP, most=SURVEYS_KEPT
        )
        self.event_fetches: SharedFetches[str, Event] = SharedFetches(
            self._fetch_event, clock, keep=EVENT_KEEP, most=SURVEYS_KEPT
        )
        self._recent: OrderedDict[str, Submission] = OrderedDict()
        self._sending: set[asyncio.Task[FlushResult]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None  # where flushes are started
        outbox.delivers(RESPONSE, self.deliver)

    # --- reading ---------------------------------------------------------------------------

    async def survey(self, survey_id: str) -> Survey:
        """A survey with its questions: fetched once for everybody in a minute, else the copy
        saved when it was last fetched (so it opens offline)."""
        self._on_loop()
        try:
            return (await self.surveys.get(survey_id)).value
        except ServiceError as error:
            saved = None if isinstance(error, NotFound) else self.saved_survey(survey_id)
            if saved is None:
                raise
            return saved

    def saved_survey(self, survey_id: str) -> Survey | None:
        """The survey as last fetched, from the local cache, if it was."""
        hit = self._cache.get(SURVEY_CACHE + survey_id)
        if hit is None:
            return None
        try:
            return Survey.model_validate_json(hit.payload)
        except ValidationError:
            self._cache.drop(SURVEY_CACHE + survey_id)
            return None

    async def measures(self) -> list[Pillar]:
        """The masterplan's measures by pillar: fetched once for everybody, else the saved copy."""
        self._on_loop()
        try:
            return (await self.measure_fetches.get("measures")).value
        except ServiceError:
            saved = self.saved_measures()
            if saved is None:
                raise
            return saved

    def saved_measures(self) -> list[Pillar] | None:
        """The measures as last fetched, from the local cache, if they were."""
        hit = self._cache.get(MEASURES_CACHE)
        if hit is None:
            return None
        try:
            return PILLARS.validate_json(hit.payload)
        except ValidationError:
            self._cache.drop(MEASURES_CACHE)
            return None

    async def results(self, survey_id: str) -> Results:
        """A survey's results, shared by every session for a few seconds."""
        return (await self.result_fetches.get(survey_id)).value

    async def join(self, code: str) -> Event:
        """A workshop by its join code, as typed (case, spaces and dashes do not matter)."""
        normalised = normalise_code(code)
        if not normalised:
            raise NotFound("no join code given", code="event_unknown")
        return (await self.event_fetches.get(normalised)).value  # shared by the whole room

    async def _fetch_event(self, code: str) -> Event:
        return await self._reported(self.client.event(code))

    async def _fetch_survey(self, survey_id: str) -> Survey:
        survey = await self._reported(self.client.survey(survey_id))
        self._cache.put(SURVEY_CACHE + survey_id, survey.model_dump_json(), self._clock.now())
        return survey

    async def _fetch_measures(self, _key: str) -> list[Pillar]:
        pillars = await self._reported(self.client.measures())
        self._cache.put(MEASURES_CACHE, PILLARS.dump_json(pillars).decode(), self._clock.now())
        return pillars

    async def _fetch_results(self, survey_id: str) -> Results:
        return await self._reported(self.client.results(survey_id))

    async def _reported(self, call: Awaitable[T]) -> T:
        try:
            value = await call
        except ServiceError as error:
            self._report(error)
            raise
        self._report(None)
        return value

    def _report(self, error: ServiceError | None) -> None:
        if self._connectivity is not None:
            self._connectivity.report(SOURCE, error)

    # --- answering -------------------------------------------------------------------------

    def device_token(self, person: str) -> str:
        """The person's device token: random, made on first use, kept with their settings."""
        token = self._settings.get(person, TOKEN_KEY)
        if token is None:
            token = new_token()
            self._settings.set(person, TOKEN_KEY, token)
        return token

    def submit(
        self,
        person: str | None,
        survey: Survey,
        answers: Answers,
        *,
        participation_code: str | None = None,
        shared_device: bool = False,
    ) -> str:
        """Store the answers for delivery (exactly once) and start sending them; returns the
        idempotency key. Raises `AnswersInvalid` when they cannot be sent as they are."""
        found = problems(survey, answers)
        if found:
            raise AnswersInvalid(found)
        shared = shared_device or person is None
        owner = None if shared else person
        participant: dict[str, str]
        if participation_code is not None and participation_code.strip():
            participant = {"participation_code": participation_code.strip()}
        elif owner is None:
            participant = {"device_token": new_token()}
        else:
            participant = {"device_token": self.device_token(owner)}
        if owner is not None:
            self._people.ensure(owner)
        payload = {"survey_id": survey.id, **participant, "answers": body(survey, answers)}
        # one lock for both rows: no flush delivers the write before its row exists
        with self._store.transaction() as db:
            key = self._outbox.enqueue(RESPONSE, payload, person=owner)
            db.execute(
                "INSERT INTO surveysubmission (idempotency_key, person_id, survey_id, state, "
                "receipt, message, code, created_at) VALUES (?, ?, ?, 'waiting', NULL, NULL, "
                "NULL, ?)",
                (key, owner, survey.id, to_db(self._clock.now())),
            )
        self.listeners.notify()
        self._start_sending()
        return key

    def _start_sending(self) -> None:
        """Flush the outbox now, without waiting for it (the scheduled flush is the fallback).

        A screen's plain handler may run on a worker thread: the flush then goes to the event
        loop this service last ran on.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            loop = self._loop
            if loop is not None and loop.is_running() and not loop.is_closed():
                loop.call_soon_threadsafe(self._flush_soon)
            return  # else: not on any loop yet; the scheduled flush sends it
        self._flush_soon()

    def _flush_soon(self) -> None:
        task = asyncio.get_running_loop().create_task(self._outbox.flush())
        self._sending.add(task)
        task.add_done_callback(self._sent)

    def _on_loop(self) -> None:
        self._loop = asyncio.get_running_loop()

    def _sent(self, task: asyncio.Task[FlushResult]) -> None:
        self._sending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("sending survey answers failed: %s", task.exception())

    async def send(self) -> FlushResult:
        """Send what waits now (after any sending already started), and say how it went."""
        self._on_loop()
        if self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)
        return await self._outbox.flush()

    async def deliver(self, payload: dict[str, Any], key: str) -> None:
        """The outbox sends one person's answers; the outcome is recorded on the device."""
        self._on_loop()
        request = {name: value for name, value in payload.items() if name != "survey_id"}
        try:
            receipt = await self.client.send_response(str(payload["survey_id"]), request, key)
        except BadData as error:
            # an answer nobody can read (a portal's page, a broken proxy): maybe counted,
            # maybe not; only the same key again finds out, so it stays in the outbox
            self._report(error)
            raise ServerError(f"unreadable answer to survey answers: {error}") from error
        except ServiceError as error:
            self._report(error)
            if not is_transient(error):
                if no_longer_fits(error.code):  # the survey changed: read it anew next time
                    survey_id = str(payload["survey_id"])
                    self.surveys.forget(survey_id)
                    self._cache.drop(SURVEY_CACHE + survey_id)
                self._record(key, "refused", message=message_for(error), code=error.code)
            raise
        self._report(None)
        self._record(key, "counted", receipt=receipt)

    def _record(
        self,
        key: str,
        state: State,
        *,
        receipt: Receipt | None = None,
        message: str | None = None,
        code: str | None = None,
    ) -> None:
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT * FROM surveysubmission WHERE idempotency_key = ?", (key,)
            ).fetchone()
            if state == "refused":
                # the outcome is kept here: the refused answers need not stay in the outbox
                db.execute("DELETE FROM outboxitem WHERE idempotency_key = ?", (key,))
            if row is None:
                return  # deleted with the person's data meanwhile
            reference = receipt.receipt if receipt else None
            if row["person_id"] is None:
                # a shared device keeps nothing once delivered; the outcome stays in memory
                # for the screen that is waiting for it
                db.execute("DELETE FROM surveysubmission WHERE idempotency_key = ?", (key,))
                self._recent[key] = Submission(
                    key, row["survey_id"], state, reference, message, code,
                    from_db(row["created_at"]),
                )  # fmt: skip
                while len(self._recent) > RECENT_KEPT:
                    self._recent.popitem(last=False)
            else:
                db.execute(
                    "UPDATE surveysubmission SET state = ?, receipt = ?, message = ?, code = ? "
                    "WHERE idempotency_key = ?",
                    (state, reference, message, code, key),
                )
        self.listeners.notify()
        if state == "refused":
            self._outbox.listeners.notify()  # one write fewer waits

    # --- what the screens show -------------------------------------------------------------

    def status(self, key: str) -> Submission:
        """How the submission with this idempotency key stands; `KeyError` if unknown here."""
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT * FROM surveysubmission WHERE idempotency_key = ?", (key,)
            ).fetchone()
        if row is not None:
            return Submission.from_row(row)
        if key in self._recent:
            return self._recent[key]
        raise KeyError(key)

    def pending(self, person: str | None) -> int:
        """How many of the person's answers (or, for None, the shared device's) wait to be
        sent."""
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT count(*) FROM outboxitem WHERE state = 'pending' AND kind = ? "
                "AND person_id IS ?",
                (RESPONSE, person),
            ).fetchone()
        return int(row[0])

    def taken_part(self, person: str | None, survey_id: str) -> Submission | None:
        """The person's latest submission to this survey, if any (a shared device: none)."""
        if person is None:
            return None
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT * FROM surveysubmission WHERE person_id = ? AND survey_id = ? "
                "ORDER BY created_at DESC, rowid DESC LIMIT 1",
                (person, survey_id),
            ).fetchone()
        return Submission.from_row(row) if row else None

    def submissions(self, person: str) -> list[Submission]:
        """Every submission the person made on this device, newest first."""
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT * FROM surveysubmission WHERE person_id = ? "
                "ORDER BY created_at DESC, rowid DESC",
                (person,),
            ).fetchall()
        return [Submission.from_row(row) for row in rows]
