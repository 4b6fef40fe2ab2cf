"""Client for the CKAN Action API, coping with DKAN's differences."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from services.errors import BadData, Rejected
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


class PackageSearch(BaseModel):
    """One page of search results."""

    count: int
    results: list[Package]


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
        try:
            return PackageSearch.model_validate(result)
        except ValidationError as exc:
            raise BadData(f"package_search: {exc.error_count()} invalid fields") from exc

    async def package_show(self, package_id: str) -> Package:
        """One dataset; DKAN wraps it in a list."""
        result = await self.action("package_show", id=package_id)
        if isinstance(result, list):
            if not result:
                raise BadData("package_show: empty result")
            result = result[0]
        try:
            return Package.model_validate(result)
        except ValidationError as exc:
            raise BadData(f"package_show: {exc.error_count()} invalid fields") from exc
