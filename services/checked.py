"""The one place where a source's answer becomes checked data and a list of what was wrong.

Every client reads its answers here. A whole answer that is not what the protocol promises is
`BadData`; a list is read entry by entry, so one broken entry is rejected on its own (never
turned into a default or into another entry) and reported as an `EntryProblem`, while the good
entries are used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.errors import BadData
from services.freshness import Freshness, untimed

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

MAX_REASON = 160  # a reason is for a log line and a screen, not a copy of hostile input


class EntryProblem(BaseModel):
    """One entry of an answer that could not be read, and why."""

    model_config = ConfigDict(frozen=True)

    position: int  # where in the answer's list (0 = first)
    name: str | None = None  # the entry's name or id, when even that much was readable
    reason: str


class Checked(BaseModel, Generic[M]):
    """The readable entries of a list, and a problem for each entry that was not."""

    entries: list[M] = Field(default_factory=list)
    problems: list[EntryProblem] = Field(default_factory=list)

    def freshness(self, now: datetime) -> Freshness:
        """Entries without a time of their own: only what could not be read counts."""
        return untimed(len(self.entries), unreadable=len(self.problems))


def short_reason(exc: ValidationError) -> str:
    """ "status: Input should be '1' or '2'" for the first few fields, without their values."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "entry"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)[:MAX_REASON]


def check(model: type[M], body: Any, what: str) -> M:
    """A whole answer (or one object of it) against its model; anything else is bad data."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise BadData(f"{what}: {short_reason(exc)}") from exc


def check_list(
    model: type[M],
    items: Any,
    what: str,
    *,
    name_of: Callable[[Any], str | None] | None = None,
) -> Checked[M]:
    """Read `items` entry by entry; `name_of` names a broken entry when it can."""
    if not isinstance(items, list):
        raise BadData(f"{what}: expected a list, got {type(items).__name__}")
    checked: Checked[M] = Checked()
    for position, raw in enumerate(items):
        try:
            checked.entries.append(model.model_validate(raw))
        except ValidationError as exc:
            checked.problems.append(
                EntryProblem(
                    position=position, name=_safe_name(name_of, raw), reason=short_reason(exc)
                )
            )
    if checked.problems:
        log.info("%s: %d of %d entries unreadable", what, len(checked.problems), len(items))
    return checked


def _safe_name(name_of: Callable[[Any], str | None] | None, raw: Any) -> str | None:
    if name_of is None:
        return None
    try:
        name = name_of(raw)
    except Exception:  # naming a broken entry must not turn it into a failed answer
        return None
    return name.strip()[:MAX_REASON] or None if isinstance(name, str) else None


def text_field(*fields: str) -> Callable[[Any], str | None]:
    """A `name_of` for dict entries: the first of `fields` that holds a string."""

    def name_of(raw: Any) -> str | None:
        if not isinstance(raw, dict):
            return None
        return next((raw[f] for f in fields if isinstance(raw.get(f), str)), None)

    return name_of
