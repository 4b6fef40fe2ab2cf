"""Client for the participation API (`/participation/v1`), documented in the stub's OpenAPI."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError

from services.checked import Checked, check, check_list, short_reason, text_field
from services.errors import BadData
from services.http import JsonClient
from services.participation.models import Event, Pillar, Receipt, Results, Survey, SurveySummary

__all__ = ["ParticipationClient", "SurveySummary"]

PILLARS: TypeAdapter[list[Pillar]] = TypeAdapter(list[Pillar])


class ParticipationClient(JsonClient):
    """Surveys, answers and barrier feedback."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)

    def error_detail(self, response: httpx.Response) -> str | None:
        """FastAPI answers `{"detail": ...}`; the participation routes put
        `{"code", "message", "question"}` in it."""
        try:
            detail = response.json()["detail"]
        except (ValueError, KeyError, TypeError):
            return None
        if isinstance(detail, dict) and "code" in detail:
            where = f" ({detail['question']})" if detail.get("question") else ""
            return f"{detail['code']}: {detail.get('message', '')}{where}"
        return str(detail)

    def error_code(self, response: httpx.Response) -> str | None:
        """The participation routes' own code (`survey_closed`, `code_used`, ...), if given."""
        try:
            detail = response.json()["detail"]
        except (ValueError, KeyError, TypeError):
            return None
        code = detail.get("code") if isinstance(detail, dict) else None
        return code if isinstance(code, str) else None

    async def surveys(self) -> Checked[SurveySummary]:
        """The open surveys, checked one by one."""
        return check_list(
            SurveySummary,
            await self.get_json("/surveys"),
            "surveys",
            name_of=text_field("title", "id"),
        )

    async def measures(self) -> list[Pillar]:
        """The masterplan's measures grouped by its three pillars."""
        body = await self.get_json("/measures")
        try:
            return PILLARS.validate_python(body)
        except ValidationError as exc:
            raise BadData(f"measures: {short_reason(exc)}") from exc

    async def survey(self, survey_id: str) -> Survey:
        """One survey with its questions in order."""
        body = await self.get_json(f"/surveys/{quote(survey_id, safe='')}")
        return check(Survey, body, f"survey {survey_id}")

    async def event(self, join_code: str) -> Event:
        """A workshop by its join code, with its surveys."""
        return check(Event, await self.get_json(f"/events/{quote(join_code, safe='')}"), "event")

    async def results(self, survey_id: str) -> Results:
        """A survey's results (breakdowns of fewer than five answers are not given)."""
        body = await self.get_json(f"/surveys/{quote(survey_id, safe='')}/results")
        return check(Results, body, f"results of {survey_id}")

    async def send_response(
        self, survey_id: str, response: dict[str, Any], idempotency_key: str
    ) -> Receipt:
        """Deliver a person's answers: `{"device_token" | "participation_code", "answers"}`.

        Sent through the outbox with one key per submission: the server counts it once, and a
        retry gets the first receipt again.
        """
        body = await self.post_json(
            f"/surveys/{quote(survey_id, safe='')}/responses",
            response,
            idempotency_key=idempotency_key,
        )
        return check(Receipt, body, "receipt")

    async def send_barrier_report(self, report: dict[str, Any], idempotency_key: str) -> Any:
        """Deliver a barrier report (sent through the outbox, so exactly once)."""
        return await self.post_json("/barrier-reports", report, idempotency_key=idempotency_key)
