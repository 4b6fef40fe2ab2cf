"""Client for the participation API (`/participation/v1`), documented in the stub's OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict

from services.checked import Checked, check_list, text_field
from services.http import JsonClient


class SurveySummary(BaseModel):
    """A survey as listed."""

    model_config = ConfigDict(extra="ignore")

    id: str
    title: str
    description: str = ""
    pillar: str
    closes_at: datetime | None = None
    question_count: int = 0
    measure_id: str | None = None
    opens_at: datetime | None = None
    state: str = "open"  # upcoming | open | closed, on the server's clock
    access: str = "open"  # open | code (participation codes of a workshop only)


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

    async def surveys(self) -> Checked[SurveySummary]:
        """The open surveys, checked one by one."""
        return check_list(
            SurveySummary,
            await self.get_json("/surveys"),
            "surveys",
            name_of=text_field("title", "id"),
        )

    async def measures(self) -> Any:
        """The masterplan's measures grouped by its three pillars (JSON as the API answers)."""
        return await self.get_json("/measures")

    async def survey(self, survey_id: str) -> Any:
        """One survey with its questions (JSON as the API answers)."""
        return await self.get_json(f"/surveys/{quote(survey_id, safe='')}")

    async def event(self, join_code: str) -> Any:
        """A workshop by its join code, with its surveys."""
        return await self.get_json(f"/events/{quote(join_code, safe='')}")

    async def results(self, survey_id: str) -> Any:
        """A survey's results (breakdowns of fewer than five answers are not given)."""
        return await self.get_json(f"/surveys/{quote(survey_id, safe='')}/results")

    async def send_response(
        self, survey_id: str, response: dict[str, Any], idempotency_key: str
    ) -> Any:
        """Deliver a person's answers: `{"device_token" | "participation_code", "answers"}`.

        Sent through the outbox with one key per submission: the server counts it once, and a
        retry gets the first receipt again.
        """
        return await self.post_json(
            f"/surveys/{quote(survey_id, safe='')}/responses",
            response,
            idempotency_key=idempotency_key,
        )

    async def send_barrier_report(self, report: dict[str, Any], idempotency_key: str) -> Any:
        """Deliver a barrier report (sent through the outbox, so exactly once)."""
        return await self.post_json("/barrier-reports", report, idempotency_key=idempotency_key)
