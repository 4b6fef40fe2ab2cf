"""Client for the CKAN Action API, coping with DKAN's differences."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.checked import EntryProblem, check, check_list, text_field
from services.errors import BadData, Rejected
from services.freshness import Freshness, untimed
from services.http import JsonClient

MAX_ROWS = 1000
MAX_DATASTORE_ROWS = 32000  # CKAN's own ceiling for one datastore_search page
FACET_FIELDS = ("groups", "organization", "res_format", "license_id")
CKAN_ACTIONS = "/api/3/action/"
DKAN_DATASTORE = "/api/action/datastore/search.json"
NUMERIC_TYPES = {"int", "int4", "int8", "integer", "bigint", "float", "float8", "numeric", "number"}
INTEGER = re.compile(r"^[+-]?\d+$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

Flavour = Literal["ckan", "dkan"]


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
    groups: list[Organization] = []
    metadata_modified: str | None = None
    resources: list[Resource] = []

    @field_validator("groups", "tags", mode="before")
    @classmethod
    def _names_as_objects(cls, value: Any) -> Any:
        """Some portals list groups and tags as bare names: ["verkehr"]."""
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @property
    def modified_at(self) -> datetime | None:
        """When the dataset last changed (CKAN sends naive UTC), if the server says so."""
        try:
            moment = datetime.fromisoformat(self.metadata_modified or "")
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class FacetItem(BaseModel):
    """One value of a facet and how many datasets carry it."""

    model_config = ConfigDict(extra="ignore")

    name: str
    display_name: str = ""
    count: int = Field(ge=0)


class PackageSearch(BaseModel):
    """One page of search results; datasets that could not be read are named in `problems`."""

    count: int
    results: list[Package]
    problems: list[EntryProblem] = Field(default_factory=list)
    facets: dict[str, list[FacetItem]] = Field(default_factory=dict)  # field -> items, by count

    def freshness(self, now: datetime) -> Freshness:
        """A catalogue has no time of its own: only what could not be read counts."""
        return untimed(len(self.results), unreadable=len(self.problems))


class Count(BaseModel):
    """The number of hits of a search (a count must be a number, not a string)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    count: int = Field(ge=0)


class DatastoreField(BaseModel):
    """One column of a datastore table."""

    model_config = ConfigDict(extra="ignore")

    id: str
    type: str = "text"


class DatastorePage(BaseModel):
    """One page of a datastore table: its columns, its rows and how many rows there are."""

    fields: list[DatastoreField]
    records: list[dict[str, Any]]
    total: int


class _DatastoreCkan(BaseModel):
    model_config = ConfigDict(extra="ignore")

    fields: list[DatastoreField]
    records: list[dict[str, Any]]
    total: int = Field(ge=0, strict=True)


class _DatastoreDkan(BaseModel):
    model_config = ConfigDict(extra="ignore")

    fields: list[DatastoreField]
    records: list[dict[str, Any]]
    total: int = Field(ge=0)  # DKAN sends "42"


class CkanClient(JsonClient):
    """The Action API below `<site>/api/3/action/`; `flavour="dkan"` for Drupal's DKAN."""

    def __init__(
        self,
        site_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        flavour: Flavour = "ckan",
    ):
        super().__init__(site_url, transport=transport)
        self.flavour: Flavour = flavour

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
        return await self._call(name, f"{CKAN_ACTIONS}{name}", query)

    async def _call(self, name: str, path: str, query: dict[str, Any]) -> Any:
        body = await self.get_json(path, params=query)
        if not isinstance(body, dict) or "success" not in body:
            raise BadData(f"{name}: not a CKAN envelope")
        if body["success"] is not True:
            error = body.get("error")
            message = error.get("message", "failed") if isinstance(error, dict) else "failed"
            raise Rejected(f"{name}: {message}")
        return body.get("result")

    async def package_search(
        self,
        q: str = "",
        *,
        rows: int = 20,
        start: int = 0,
        sort: str | None = None,
        fq: str | None = None,
        facet_fields: tuple[str, ...] | list[str] = (),
        facet_limit: int | None = None,
    ) -> PackageSearch:
        """Search the catalogue; `facet_fields` (e.g. FACET_FIELDS) asks for facet counts."""
        rows = max(0, min(rows, MAX_ROWS))
        facets = list(facet_fields)
        result = await self.action(
            "package_search",
            q=q or None,
            fq=fq or None,
            rows=rows,
            start=start,
            sort=sort,
            **{
                "facet.field": json.dumps(facets) if facets else None,
                "facet.limit": facet_limit,
            },
        )
        if not isinstance(result, dict):
            raise BadData("package_search: the result is not an object")
        packages = check_list(
            Package,
            result.get("results"),
            "package_search",
            name_of=text_field("title", "name", "id"),
        )
        count = check(Count, result, "package_search").count
        return PackageSearch(
            count=count,
            results=packages.entries,
            problems=packages.problems,
            facets=_facets(result.get("search_facets")),
        )

    async def package_show(self, package_id: str) -> Package:
        """One dataset; DKAN wraps it in a list."""
        result = await self.action("package_show", id=package_id)
        if isinstance(result, list):
            if not result:
                raise BadData("package_show: empty result")
            result = result[0]
        return check(Package, result, "package_show")

    async def organization_list(self) -> list[str]:
        """The names of all publishers."""
        return _names("organization_list", await self.action("organization_list"))

    async def group_list(self) -> list[str]:
        """The names of all groups (topics)."""
        return _names("group_list", await self.action("group_list"))

    async def datastore_search(
        self,
        resource_id: str,
        *,
        q: str | None = None,
        filters: dict[str, Any] | None = None,
        sort: str | None = None,
        limit: int = 100,
        offset: int = 0,
        fields: list[str] | None = None,
    ) -> DatastorePage:
        """One page of a resource's table from the datastore (CKAN or DKAN)."""
        limit = max(0, min(limit, MAX_DATASTORE_ROWS))
        query: dict[str, Any] = {
            "resource_id": resource_id,
            "q": q or None,
            "sort": sort,
            "limit": limit,
            "offset": offset,
            "fields": ",".join(fields) if fields else None,
        }
        if self.flavour == "dkan":
            for key, value in (filters or {}).items():
                query[f"filters[{key}]"] = str(value)
            query = {key: value for key, value in query.items() if value is not None}
            result = await self._call("datastore_search", DKAN_DATASTORE, query)
            page = check(_DatastoreDkan, result, "datastore_search")
            numeric = {f.id for f in page.fields if f.type.lower() in NUMERIC_TYPES}
            records = [_numbers(record, numeric) for record in page.records]
            return DatastorePage(fields=page.fields, records=records, total=page.total)
        if filters:
            query["filters"] = json.dumps(filters)
        result = await self.action("datastore_search", **query)
        strict = check(_DatastoreCkan, result, "datastore_search")
        return DatastorePage(fields=strict.fields, records=strict.records, total=strict.total)


def _facets(raw: Any) -> dict[str, list[FacetItem]]:
    """CKAN's `search_facets`: {field: {title, items: [{name, display_name, count}]}}."""
    if raw is None or raw == []:  # DKAN and old CKANs send nothing or an empty list
        return {}
    if not isinstance(raw, dict):
        raise BadData("package_search: search_facets is not an object")
    facets: dict[str, list[FacetItem]] = {}
    for field_name, facet in raw.items():
        items = facet.get("items") if isinstance(facet, dict) else None
        checked = check_list(FacetItem, items, f"package_search facet {field_name}")
        facets[field_name] = sorted(checked.entries, key=lambda item: (-item.count, item.name))
    return facets


def _names(what: str, result: Any) -> list[str]:
    if not isinstance(result, list) or not all(isinstance(name, str) for name in result):
        raise BadData(f"{what}: expected a list of names")
    return list(result)


def _numbers(record: dict[str, Any], numeric: set[str]) -> dict[str, Any]:
    """DKAN sends every value as a string: numeric columns become numbers again."""
    converted = dict(record)
    for key in numeric:
        value = converted.get(key)
        if isinstance(value, str) and not value.strip():
            converted[key] = None  # an empty cell, not an empty word
        elif isinstance(value, str) and NUMBER.match(value.strip()):
            text = value.strip()
            converted[key] = int(text) if INTEGER.match(text) else float(text)
    return converted
