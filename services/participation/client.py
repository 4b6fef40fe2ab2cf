"""Client for the participation API (`/participation/v1`), documented in the stub's OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from services.errors import BadData
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


SURVEY_LIST = TypeAdapter(list[SurveySummary])


class ParticipationClient(JsonClient):
    """Surveys, answers and barrier feedback."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)

    def error_detail(self, response: httpx.Response) -> str | None:
        """FastAPI answers `{"detail": ...}`."""
        try:
            return str(response.json()["detail"])
        except (ValueError, KeyError, TypeError):
            return None

    async def surveys(self) -> list[SurveySummary]:
        """The open surveys."""
        body = await self.get_json("/surveys")
        try:
            return SURVEY_LIST.validate_python(body)
        except ValidationError as exc:
            raise BadData(f"surveys: {exc.error_count()} invalid fields") from exc

    async def send_barrier_report(self, report: dict[str, Any], idempotency_key: str) -> Any:
        """Deliver a barrier report (sent through the outbox, so exactly once)."""
        return await self.post_json("/barrier-reports", report, idempotency_key=idempotency_key)
