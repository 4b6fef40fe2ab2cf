"""Client for the CKAN Action API, coping with DKAN's differences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from services.checked import EntryProblem, check, check_list, text_field
from services.errors import BadData, Rejected
from services.freshness import Freshness, untimed
from services.http import JsonClient

MAX_ROWS = 1000


class Organization(BaseModel):
    """The publisher of a dataset."""

    model_config = ConfigDict(extra="ignore")

    name: str = ""
    title: str = ""


class Tag(BaseModel):
    """A keyword on a dataset."""

    model_config = ConfigDict(extra="ignore")

    name: str


class Resource(BaseModel):
    """One file or API of a dataset."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str | None = None
    format: str | None = None
    url: str | None = None
    datastore_active: bool | None = None
    last_modified: str | None = None


class Package(BaseModel):
    """A dataset."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    title: str | None = None
    notes: str | None = None
    license_id: str | None = None
    license_title: str | None = None
    organization: Organization | None = None
    tags: list[Tag] = []
    metadata_modified: str | None = None
    resources: list[Resource] = []

    @property
    def modified_at(self) -> datetime | None:
        """When the dataset last changed (CKAN sends naive UTC), if the server says so."""
        try:
            moment = datetime.fromisoformat(self.metadata_modified or "")
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class PackageSearch(BaseModel):
    """One page of search results; datasets that could not be read are named in `problems`."""

    count: int
    results: list[Package]
    problems: list[EntryProblem] = Field(default_factory=list)

    def freshness(self, now: datetime) -> Freshness:
        """A catalogue has no time of its own: only what could not be read counts."""
        return untimed(len(self.results), unreadable=len(self.problems))


class Count(BaseModel):
    """The number of hits of a search (a count must be a number, not a string)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    count: int = Field(ge=0)


class CkanClient(JsonClient):
    """The Action API below `<site>/api/3/action/`."""

    def __init__(self, site_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(site_url, transport=transport)

    def error_detail(self, response: httpx.Response) -> str | None:
        """CKAN answers `{"success": false, "error": {"__type", "message"}}`."""
        try:
            error = response.json()["error"]
            return f"{error.get('__type')}: {error.get('message')}"
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    async def action(self, name: str, **params: Any) -> Any:
        """Call one action and return its `result`, unwrapping the envelope."""
        query = {key: value for key, value in params.items() if value is not None}
        body = await self.get_json(f"/api/3/action/{name}", params=query)
        if not isinstance(body, dict) or "success" not in body:
            raise BadData(f"{name}: not a CKAN envelope")
        if body["success"] is not True:
            error = body.get("error") or {}
            raise Rejected(f"{name}: {error.get('message', 'failed')}")
        return body.get("result")

    async def package_search(
        self, q: str = "", *, rows: int = 20, start: int = 0, sort: str | None = None
    ) -> PackageSearch:
        """Search the catalogue."""
        rows = max(0, min(rows, MAX_ROWS))
        result = await self.action("package_search", q=q or None, rows=rows, start=start, sort=sort)
        if not isinstance(result, dict):
            raise BadData("package_search: the result is not an object")
        packages = check_list(
            Package,
            result.get("results"),
            "package_search",
            name_of=text_field("title", "name", "id"),
        )
        count = check(Count, result, "package_search").count
        return PackageSearch(count=count, results=packages.entries, problems=packages.problems)

    async def package_show(self, package_id: str) -> Package:
        """One dataset; DKAN wraps it in a list."""
        result = await self.action("package_show", id=package_id)
        if isinstance(result, list):
            if not result:
                raise BadData("package_show: empty result")
            result = result[0]
        return check(Package, result, "package_show")
