"""Client for the city's waiting-time feed (`waiting-od.php`), where every value is a string.

The feed is read strictly, entry by entry (services/checked.py): an entry with a wrong type, an
unknown status or a missing field is rejected on its own. Offices are matched by a stable key
made from their name, and `merge` keeps each office's last good value when the newest answer
leaves it out or cannot be read, marked as such.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.checked import EntryProblem, check_list, text_field
from services.clock import CITY_TZ
from services.errors import BadData
from services.freshness import Freshness, freshness_of, is_current
from services.http import JsonClient

FEED_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# The city's feed has been seen frozen for weeks: an older value is never shown as current.
STALE_AFTER = timedelta(minutes=20)
MAX_MINUTES = 24 * 60

State = Literal["open", "closed", "unknown"]
OPEN: State = "open"
CLOSED: State = "closed"
UNKNOWN: State = "unknown"
# why an office shows a value that is not from the latest answer ("" = it is from the latest)
Kept = Literal["", "unreadable", "missing"]
UNREADABLE: Kept = "unreadable"
MISSING: Kept = "missing"
FEED_STATUS: dict[str, State] = {"1": OPEN, "2": CLOSED}


def office_key(name: str) -> str:
    """The stable key of a Kundenzentrum: "Kundenzentrum Mülheim" → "muelheim"."""
    text = name.strip().lower()
    text = re.sub(r"^kundenzentrum\s+", "", text)
    for letter, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(letter, spelled)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class FeedEntry(BaseModel):
    """One entry exactly as the protocol allows it: strings only, a known status."""

    model_config = ConfigDict(strict=True, extra="ignore", str_strip_whitespace=True)

    title_anz: str = Field(min_length=1, max_length=200)
    timestamp: str
    status: Literal["1", "2"]
    wartezeit_minuten: str = Field(default="", pattern=r"^[0-9]{0,4}$")
    sondertext: str = Field(default="", max_length=2000)
    link: str = Field(default="", max_length=2000)

    @field_validator("title_anz")
    @classmethod
    def _has_key(cls, value: str) -> str:
        if not office_key(value):
            raise ValueError("a name without letters or digits")
        return value

    @field_validator("timestamp")
    @classmethod
    def _local_time(cls, value: str) -> str:
        datetime.strptime(value, FEED_TIME_FORMAT)  # ValueError names the problem
        return value

    @model_validator(mode="after")
    def _open_has_wait(self) -> FeedEntry:
        if self.status == "1" and not self.wartezeit_minuten:
            raise ValueError("an open office without a waiting time")
        if self.wartezeit_minuten and int(self.wartezeit_minuten) >= MAX_MINUTES:
            raise ValueError("a waiting time of a day or more")
        return self


class WaitingTime(BaseModel):
    """One Kundenzentrum as the app knows it: its value, and whether that is the latest."""

    key: str
    office: str
    measured_at: datetime | None = None
    wait_minutes: int | None = None
    state: State = UNKNOWN
    notice: str = ""
    link: str = ""
    kept: Kept = ""

    @property
    def is_open(self) -> bool:
        """Open, as far as the shown value says."""
        return self.state == OPEN

    def is_current(self, now: datetime) -> bool:
        """Whether the value was measured less than `STALE_AFTER` ago."""
        return is_current(self.measured_at, now, STALE_AFTER)


class WaitingTimes(BaseModel):
    """All Kundenzentren as last known, and what the latest answer got wrong."""

    offices: list[WaitingTime] = Field(default_factory=list)
    problems: list[EntryProblem] = Field(default_factory=list)

    def freshness(self, now: datetime) -> Freshness:
        """How current the values are by the feed's own timestamps."""
        values = [o for o in self.offices if o.state != UNKNOWN]  # the others have no value
        return freshness_of(
            (o.measured_at for o in values),
            now,
            STALE_AFTER,
            unreadable=len(self.problems),
            kept=sum(1 for o in values if o.kept),
        )

    def get(self, key: str) -> WaitingTime | None:
        """The office with `key`, if known."""
        return next((o for o in self.offices if o.key == key), None)


def from_entry(entry: FeedEntry) -> WaitingTime:
    """A checked feed entry as the app's value."""
    return WaitingTime(
        key=office_key(entry.title_anz),
        office=entry.title_anz,
        measured_at=parse_local_timestamp(entry.timestamp),
        wait_minutes=int(entry.wartezeit_minuten) if entry.wartezeit_minuten else None,
        state=FEED_STATUS[entry.status],
        notice=entry.sondertext,
        link=entry.link,
    )


def parse_feed(body: Any) -> WaitingTimes:
    """Read the feed's JSON entry by entry; refuse only an answer that is not the feed at all."""
    if not isinstance(body, dict) or body.get("success") is not True:
        raise BadData("the waiting-time feed did not report success")
    checked = check_list(
        FeedEntry, body.get("items"), "waiting-time feed", name_of=text_field("title_anz")
    )
    offices: list[WaitingTime] = []
    problems = list(checked.problems)
    for entry in checked.entries:
        office = from_entry(entry)
        if any(o.key == office.key for o in offices):  # which of the two is right is unknown
            problems.append(EntryProblem(position=-1, name=office.office, reason="listed twice"))
            offices = [o for o in offices if o.key != office.key]
            continue
        offices.append(office)
    return WaitingTimes(offices=offices, problems=problems)


def merge(latest: WaitingTimes, earlier: WaitingTimes | None) -> WaitingTimes:
    """The latest answer, plus the last good value of every office it left out or garbled."""
    shown = {o.key for o in latest.offices}
    known = {o.key: o for o in earlier.offices} if earlier else {}
    offices = list(latest.offices)
    for problem in latest.problems:
        key = office_key(problem.name) if problem.name else ""
        if not key or key in shown:
            continue
        shown.add(key)
        before = known.get(key)
        if before is not None and before.state != UNKNOWN:
            offices.append(before.model_copy(update={"kept": UNREADABLE}))
        else:  # never read well: the office is known by name, its state is not
            offices.append(WaitingTime(key=key, office=problem.name or key, kept=UNREADABLE))
    for key, before in known.items():
        if key not in shown:
            offices.append(before.model_copy(update={"kept": MISSING}))
    return WaitingTimes(offices=offices, problems=latest.problems)


def parse_local_timestamp(value: Any) -> datetime | None:
    """The feed's local time without zone, as an aware UTC datetime."""
    try:
        local = datetime.strptime(str(value).strip(), FEED_TIME_FORMAT)
    except (TypeError, ValueError):
        return None
    return local.replace(tzinfo=CITY_TZ).astimezone(UTC)


class WaitingFeedClient(JsonClient):
    """Fetches the feed from its full URL (the city's, or the stub's)."""

    def __init__(self, feed_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(feed_url, transport=transport)

    async def fetch(self) -> WaitingTimes:
        """The current waiting times of the Kundenzentren in the feed, checked entry by entry."""
        return parse_feed(await self.poll_json(self.base_url))
