"""Client for the participation API (`/participation/v1`), documented in the stub's OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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

    async def surveys(self) -> Checked[SurveySummary]:
        """The open surveys, checked one by one."""
        return check_list(
            SurveySummary,
            await self.get_json("/surveys"),
            "surveys",
            name_of=text_field("title", "id"),
        )

    async def send_barrier_report(self, report: dict[str, Any], idempotency_key: str) -> Any:
        """Deliver a barrier report (sent through the outbox, so exactly once)."""
        return await self.post_json("/barrier-reports", report, idempotency_key=idempotency_key)
