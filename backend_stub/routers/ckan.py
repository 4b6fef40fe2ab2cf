"""The CKAN Action API (`/api/3/action/...`) over the stub's sample catalogue.

Besides the catalogue actions (`package_search` with `fq` and facets, `package_show`, the
lists) it answers `datastore_search` over the tables of `backend_stub.open_data.tables` and
serves those tables as German CSV files at the resources' download URLs. Parameters are
read as CKAN reads them: whatever cannot be used is answered with CKAN's 409
`Validation Error`, never FastAPI's 422 (except `package_show`'s missing `id`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import select

from backend_stub.deps import SessionDep
from backend_stub.errors import answer, ckan, ckan_failure, http_errors
from backend_stub.models import Dataset
from backend_stub.open_data import catalogue
from backend_stub.open_data.tables import TABLES, Table, csv_chunks

ACTION = "/api/3/action"
router = APIRouter(tags=["open data (CKAN Action API)"])

MAX_ROWS = 1000
DATASTORE_DEFAULT_LIMIT = 100
DATASTORE_MAX_LIMIT = 32000
FACET_FIELDS = ("groups", "organization", "res_format", "license_id", "tags")
SORT_FIELDS = {"score", "metadata_modified", "title_string", "title", "name"}
DEFAULT_SORT = "score desc, metadata_modified desc"
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off", ""}
# one fq clause: field:value or field:"quoted value", optionally with a leading +
FQ_CLAUSE = re.compile(r'\s*\+?([A-Za-z_]+):(?:"([^"]*)"|([^\s"]+))\s*')

# resource id -> (dataset name, file name, table) for every resource with a table behind it
_TABLE_RESOURCES: dict[str, tuple[str, str, Table]] = {
    catalogue.resource_id(spec.name, resource.name): (
        spec.name,
        catalogue.file_name(spec.name, position, resource.format),
        TABLES[resource.table],
    )
    for spec in catalogue.DATASETS
    for position, resource in enumerate(spec.resources)
    if resource.table is not None
}


class Named(BaseModel):
    """A tag or group, by name (groups also with their title)."""

    model_config = ConfigDict(extra="allow")

    name: str
    title: str | None = None
    display_name: str | None = None


class Organization(BaseModel):
    """The publisher."""

    name: str
    title: str


class Resource(BaseModel):
    """One file or service of a dataset; `url` is relative to the stub's base."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    format: str
    url: str
    datastore_active: bool
    last_modified: str


class Package(BaseModel):
    """A dataset as `package_show` returns it."""

    id: str
    name: str
    title: str
    notes: str
    license_id: str
    license_title: str
    organization: Organization
    groups: list[Named]
    tags: list[Named]
    metadata_modified: str
    resources: list[Resource]
    num_resources: int
    num_tags: int
    owner_org: str
    state: Literal["active"]
    type: Literal["dataset"]
    private: bool


class FacetItem(BaseModel):
    """One value of a facet and how many datasets found carry it."""

    name: str
    display_name: str
    count: int


class SearchFacet(BaseModel):
    """One facet of `search_facets`."""

    title: str
    items: list[FacetItem]


class SearchResult(BaseModel):
    """What `package_search` found."""

    count: int
    results: list[Package]
    sort: str
    facets: dict[str, dict[str, int]]
    search_facets: dict[str, SearchFacet]


class Envelope(BaseModel):
    """CKAN's success envelope."""

    help: str
    success: Literal[True]


class SearchAnswer(Envelope):
    """`package_search`'s answer."""

    result: SearchResult


class PackageAnswer(Envelope):
    """`package_show`'s answer."""

    result: Package


class NamesAnswer(Envelope):
    """A list of names."""

    result: list[str]


class GroupInfo(BaseModel):
    """A group or organization with `all_fields=true`."""

    id: str
    name: str
    title: str
    display_name: str
    package_count: int
    type: str
    is_organization: bool


class GroupsAnswer(Envelope):
    """Names, or with `all_fields=true` whole groups or organizations."""

    result: list[str] | list[GroupInfo]


class StatusAnswer(Envelope):
    """What this CKAN is."""

    result: dict[str, Any]


class DatastoreField(BaseModel):
    """A column of a datastore table and its CKAN type."""

    id: str
    type: Literal["int", "text", "numeric", "int4", "timestamp", "date"]


class DatastoreLinks(BaseModel):
    """Where this page starts and where the next one is."""

    start: str
    next: str


class DatastoreResult(BaseModel):
    """One page of a datastore table."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    resource_id: str
    fields: list[DatastoreField]
    records: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    links: DatastoreLinks = Field(alias="_links")


class DatastoreAnswer(Envelope):
    """`datastore_search`'s answer."""

    result: DatastoreResult


class Invalid(ValueError):
    """A parameter CKAN would refuse with a Validation Error."""


def envelope(request: Request, result: Any) -> dict[str, Any]:
    """CKAN's success envelope."""
    return {"help": str(request.url.replace(query="")), "success": True, "result": result}


def invalid(request: Request, error: Invalid) -> JSONResponse:
    """CKAN's 409 Validation Error."""
    return ckan_failure(request, 409, "Validation Error", str(error))


def package_json(dataset: Dataset) -> dict[str, Any]:
    """A dataset as `package_show` returns it."""
    resources = json.loads(dataset.resources)
    return {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "license_id": dataset.license_id,
        "license_title": dataset.license_title,
        "organization": {
            "name": dataset.organization,
            "title": catalogue.ORGANIZATIONS.get(dataset.organization, dataset.organization),
        },
        "groups": [
            {
                "name": name,
                "title": catalogue.GROUPS.get(name, name),
                "display_name": catalogue.GROUPS.get(name, name),
            }
            for name in json.loads(dataset.groups)
        ],
        "tags": [{"name": name} for name in json.loads(dataset.tags)],
        # CKAN writes UTC without a zone; SQLite and PostgreSQL hand the value back alike
        "metadata_modified": dataset.metadata_modified.replace(tzinfo=None).isoformat(),
        "resources": resources,
        "num_resources": len(resources),
        "num_tags": len(json.loads(dataset.tags)),
        "owner_org": dataset.organization,
        "state": "active",
        "type": "dataset",
        "private": False,
    }


def _values(package: dict[str, Any], field: str) -> set[str]:
    """The values a package has for a facet or `fq` field."""
    if field == "groups":
        return {g["name"] for g in package["groups"]}
    if field == "organization":
        return {package["organization"]["name"]}
    if field == "res_format":
        return {r["format"] for r in package["resources"]}
    if field == "license_id":
        return {package["license_id"]}
    return {t["name"] for t in package["tags"]}


def _display(field: str, value: str) -> str:
    if field == "groups":
        return catalogue.GROUPS.get(value, value)
    if field == "organization":
        return catalogue.ORGANIZATIONS.get(value, value)
    return value


def _parse_int(name: str, text: str | None, default: int, low: int = 0) -> int:
    if text is None or text.strip() == "":
        return default
    try:
        value = int(text.strip())
    except ValueError:
        raise Invalid(f"{name}: Invalid integer") from None
    if value < low:
        raise Invalid(f"{name}: Must be a natural number")
    return value


def _parse_bool(name: str, text: str | None) -> bool:
    value = (text or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise Invalid(f"{name}: Not a boolean value")


def _parse_fq(fq: str) -> list[tuple[str, str]]:
    """`field:value` and `field:"quoted value"` clauses, all of which must hold."""
    clauses: list[tuple[str, str]] = []
    text = fq.strip()
    if text in ("", "*:*"):
        return clauses
    position = 0
    while position < len(text):
        match = FQ_CLAUSE.match(text, position)
        if match is None or match.end() == position:
            raise Invalid(f"fq: cannot read {text[position:]!r}")
        field = match.group(1)
        if field not in FACET_FIELDS:
            raise Invalid(f"fq: unknown field {field!r} (use one of {', '.join(FACET_FIELDS)})")
        value = match.group(2) if match.group(2) is not None else match.group(3)
        clauses.append((field, value))
        position = match.end()
    return clauses


def _parse_sort(sort: str) -> list[tuple[str, bool]]:
    """`field asc|desc` parts, separated by commas; True means descending."""
    keys: list[tuple[str, bool]] = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORT_FIELDS:
            raise Invalid(f"sort: cannot sort by {part.strip()!r}")
        direction = words[1].lower() if len(words) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise Invalid(f"sort: direction must be asc or desc, not {words[1]!r}")
        keys.append((words[0], direction == "desc"))
    return keys


def _parse_facet_fields(text: str | None) -> list[str]:
    if text is None:
        return list(FACET_FIELDS)
    try:
        fields = json.loads(text)
    except ValueError:
        raise Invalid("facet.field: not a JSON list") from None
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise Invalid("facet.field: not a JSON list of field names")
    unknown = [f for f in fields if f not in FACET_FIELDS]
    if unknown:
        raise Invalid(f"facet.field: unknown field {unknown[0]!r}")
    return list(dict.fromkeys(fields))


def _matches_q(package: dict[str, Any], q: str) -> bool:
    words = q.replace("*:*", " ").strip("*: ").lower().split()
    if not words:
        return True
    haystack = " ".join(
        [
            package["name"],
            package["title"],
            package["notes"],
            *(t["name"] for t in package["tags"]),
        ]
    ).lower()
    return all(word in haystack for word in words)


def _sorted(found: list[dict[str, Any]], keys: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    ordered = sorted(found, key=lambda p: p["name"])
    for field, descending in reversed(keys):
        if field == "score":  # every match scores alike here
            continue
        key = "title" if field == "title_string" else field
        ordered.sort(key=lambda p: str(p[key]).lower(), reverse=descending)
    if not any(field != "score" for field, _ in keys):
        ordered.sort(key=lambda p: str(p["metadata_modified"]), reverse=True)
    return ordered


@router.get(
    f"{ACTION}/package_search",
    response_model=None,
    responses={
        **answer(SearchAnswer, "The datasets found, with facet counts."),
        **ckan(
            {
                409: f"`Validation Error`: rows above {MAX_ROWS}, a number that is none, an `fq`,"
                " `sort` or `facet.field` this CKAN cannot use."
            }
        ),
    },
)
def package_search(
    request: Request,
    session: SessionDep,
    q: str = "",
    fq: str = "",
    rows: Annotated[str | None, Query(examples=["10"])] = None,
    start: Annotated[str | None, Query(examples=["0"])] = None,
    sort: Annotated[str | None, Query(examples=["metadata_modified desc"])] = None,
    facet_field: Annotated[
        str | None,
        Query(
            alias="facet.field",
            description=f"A JSON list among {list(FACET_FIELDS)}; all of them by default.",
            examples=['["groups","organization","res_format","license_id"]'],
        ),
    ] = None,
    facet_limit: Annotated[
        str | None, Query(alias="facet.limit", description="Items per facet; -1 for all.")
    ] = None,
) -> dict[str, Any] | JSONResponse:
    """Search by words (`q`), `fq` clauses (`field:value`, all must hold), sort and page."""
    try:
        how_many = _parse_int("rows", rows, 10)
        if how_many > MAX_ROWS:
            raise Invalid(f"rows must be at most {MAX_ROWS}")
        first = _parse_int("start", start, 0)
        order = sort if sort and sort.strip() else DEFAULT_SORT
        keys = _parse_sort(order)
        clauses = _parse_fq(fq)
        facet_fields = _parse_facet_fields(facet_field)
        per_facet = _parse_int("facet.limit", facet_limit, 50, low=-1)
    except Invalid as error:
        return invalid(request, error)
    packages = [package_json(d) for d in session.exec(select(Dataset)).all()]
    found = [
        p
        for p in packages
        if _matches_q(p, q) and all(value in _values(p, field) for field, value in clauses)
    ]
    found = _sorted(found, keys)
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict[str, Any]] = {}
    for field in facet_fields:
        counts: dict[str, int] = {}
        for package in found:
            for value in _values(package, field):
                counts[value] = counts.get(value, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if per_facet >= 0:
            ranked = ranked[:per_facet]
        facets[field] = dict(ranked)
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": name, "display_name": _display(field, name), "count": count}
                for name, count in ranked
            ],
        }
    return envelope(
        request,
        {
            "count": len(found),
            "results": found[first : first + how_many],
            "sort": order,
            "facets": facets,
            "search_facets": search_facets,
        },
    )


@router.get(
    f"{ACTION}/package_show",
    response_model=None,
    responses={
        **answer(PackageAnswer, "The dataset."),
        **ckan({404: "`Not Found Error`: no dataset has this id or name."}),
    },
)
def package_show(
    request: Request,
    session: SessionDep,
    id: Annotated[str, Query(examples=["wartezeiten-kundenzentren"])],
) -> dict[str, Any] | JSONResponse:
    """One dataset by id or name."""
    dataset = (
        session.get(Dataset, id) or session.exec(select(Dataset).where(Dataset.name == id)).first()
    )
    if dataset is None:
        return ckan_failure(request, 404, "Not Found Error", "Not found")
    return envelope(request, package_json(dataset))


def _group_infos(
    session: SessionDep, organizations: bool
) -> tuple[list[str], dict[str, GroupInfo]]:
    counts: dict[str, int] = {}
    for dataset in session.exec(select(Dataset)).all():
        names = [dataset.organization] if organizations else json.loads(dataset.groups)
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    titles = catalogue.ORGANIZATIONS if organizations else catalogue.GROUPS
    names = sorted(set(titles) | set(counts)) if organizations else sorted(counts)
    infos = {
        name: GroupInfo(
            id=catalogue.dataset_id(f"{'organization' if organizations else 'group'}/{name}"),
            name=name,
            title=titles.get(name, name),
            display_name=titles.get(name, name),
            package_count=counts.get(name, 0),
            type="organization" if organizations else "group",
            is_organization=organizations,
        )
        for name in names
    }
    return names, infos


def _group_list(
    request: Request, session: SessionDep, all_fields: str | None, organizations: bool
) -> dict[str, Any] | JSONResponse:
    try:
        whole = _parse_bool("all_fields", all_fields)
    except Invalid as error:
        return invalid(request, error)
    names, infos = _group_infos(session, organizations)
    if whole:
        return envelope(request, [infos[name].model_dump() for name in names])
    return envelope(request, names)


ALL_FIELDS = Query(description="`true`: whole objects with `package_count` instead of names.")


@router.get(
    f"{ACTION}/organization_list",
    response_model=None,
    responses={
        **answer(GroupsAnswer, "The publishers."),
        **ckan({409: "`Validation Error`: `all_fields` is not a boolean."}),
    },
)
def organization_list(
    request: Request,
    session: SessionDep,
    all_fields: Annotated[str | None, ALL_FIELDS] = None,
) -> dict[str, Any] | JSONResponse:
    """The publishers' names (or, with `all_fields=true`, the publishers)."""
    return _group_list(request, session, all_fields, organizations=True)


@router.get(
    f"{ACTION}/group_list",
    response_model=None,
    responses={
        **answer(GroupsAnswer, "The groups."),
        **ckan({409: "`Validation Error`: `all_fields` is not a boolean."}),
    },
)
def group_list(
    request: Request,
    session: SessionDep,
    all_fields: Annotated[str | None, ALL_FIELDS] = None,
) -> dict[str, Any] | JSONResponse:
    """The groups' names (or, with `all_fields=true`, the groups)."""
    return _group_list(request, session, all_fields, organizations=False)


@router.get(f"{ACTION}/tag_list", response_model=None, responses=answer(NamesAnswer, "The tags."))
def tag_list(request: Request, session: SessionDep) -> dict[str, Any]:
    """All tags."""
    names = {t for d in session.exec(select(Dataset)).all() for t in json.loads(d.tags)}
    return envelope(request, sorted(names))


@router.get(
    f"{ACTION}/status_show", response_model=None, responses=answer(StatusAnswer, "This CKAN.")
)
def status_show(request: Request) -> dict[str, Any]:
    """What this CKAN is."""
    return envelope(
        request,
        {
            "ckan_version": "2.10.0",
            "site_title": "Offene Daten Köln (Stub)",
            "extensions": ["datastore"],
        },
    )


# ---- datastore ----------------------------------------------------------------------------


def _filter_matches(value: Any, kind: str, wanted: Any) -> bool:
    options = wanted if isinstance(wanted, list) else [wanted]
    for option in options:
        if kind in ("int4", "numeric", "int") and not isinstance(option, bool):
            try:
                if float(str(option).replace(",", ".")) == float(value):
                    return True
            except ValueError:
                continue
        elif str(option) == str(value):
            return True
    return False


def _parse_filters(text: str | None, kinds: dict[str, str]) -> dict[str, Any]:
    if text is None or text.strip() == "":
        return {}
    try:
        filters = json.loads(text)
    except ValueError:
        raise Invalid("filters: not a JSON object") from None
    if not isinstance(filters, dict):
        raise Invalid("filters: not a JSON object")
    for field, wanted in filters.items():
        if field not in kinds:
            raise Invalid(f'filters: field "{field}" not in table')
        options = wanted if isinstance(wanted, list) else [wanted]
        if not all(isinstance(o, str | int | float) for o in options):
            raise Invalid(f'filters: the value of "{field}" is neither text nor a number')
    return filters


def _parse_datastore_sort(text: str | None, kinds: dict[str, str]) -> list[tuple[str, bool]]:
    keys: list[tuple[str, bool]] = []
    for part in (text or "").split(","):
        words = part.strip()
        if not words:
            continue
        match = re.fullmatch(r'(?:"([^"]+)"|([^\s"]+))(?:\s+(asc|desc))?', words, re.IGNORECASE)
        if match is None:
            raise Invalid(f"sort: cannot read {words!r}")
        field = match.group(1) or match.group(2)
        if field not in kinds:
            raise Invalid(f'sort: field "{field}" not in table')
        keys.append((field, (match.group(3) or "asc").lower() == "desc"))
    return keys


def _parse_fields(text: str | None, kinds: dict[str, str]) -> list[str]:
    if text is None or text.strip() == "":
        return list(kinds)
    fields = [f.strip().strip('"') for f in text.split(",") if f.strip()]
    for field in fields:
        if field not in kinds:
            raise Invalid(f'fields: field "{field}" not in table')
    return list(dict.fromkeys(fields)) or list(kinds)


def _by(field: str) -> Callable[[dict[str, Any]], tuple[int, float, str]]:
    """A sort key for one column: numbers by value, everything else as text."""

    def key(record: dict[str, Any]) -> tuple[int, float, str]:
        value = record[field]
        if isinstance(value, int | float):
            return (0, float(value), "")
        return (1, 0.0, str(value))

    return key


@router.get(
    f"{ACTION}/datastore_search",
    response_model=None,
    responses={
        **answer(DatastoreAnswer, "One page of the resource's table."),
        **ckan(
            {
                404: "`Not Found Error`: no resource with a datastore table has this id.",
                409: "`Validation Error`: no resource_id, or a filter, sort or field the table"
                " does not have, or a limit or offset that is no natural number.",
            }
        ),
    },
)
def datastore_search(
    request: Request,
    resource_id: Annotated[str | None, Query(description="The resource's id.")] = None,
    q: Annotated[str | None, Query(description="Words every record must contain.")] = None,
    filters: Annotated[
        str | None, Query(description='A JSON object, e.g. `{"Jahr": 2023}`.')
    ] = None,
    sort: Annotated[str | None, Query(description="e.g. `Jahr desc, Stadtteil asc`.")] = None,
    limit: Annotated[
        str | None, Query(description=f"Default 100, at most {DATASTORE_MAX_LIMIT}.")
    ] = None,
    offset: str | None = None,
    fields: Annotated[str | None, Query(description="Columns, separated by commas.")] = None,
) -> dict[str, Any] | JSONResponse:
    """Records of a resource's table: filtered, searched, sorted, paged."""
    if resource_id is None or not resource_id.strip():
        return ckan_failure(request, 409, "Validation Error", "resource_id: Missing value")
    entry = _TABLE_RESOURCES.get(resource_id.strip())
    if entry is None or not entry[2].datastore:
        return ckan_failure(
            request, 404, "Not Found Error", f'Resource "{resource_id}" was not found.'
        )
    table = entry[2]
    kinds = {"_id": "int", **dict(table.fields)}
    try:
        wanted = _parse_filters(filters, kinds)
        keys = _parse_datastore_sort(sort, kinds)
        columns = _parse_fields(fields, kinds)
        how_many = min(_parse_int("limit", limit, DATASTORE_DEFAULT_LIMIT), DATASTORE_MAX_LIMIT)
        first = _parse_int("offset", offset, 0)
    except Invalid as error:
        return invalid(request, error)
    records = [{"_id": number, **row} for number, row in enumerate(table.rows(), start=1)]
    records = [
        r
        for r in records
        if all(_filter_matches(r[f], kinds[f], value) for f, value in wanted.items())
    ]
    words = (q or "").lower().split()
    if words:
        records = [
            r
            for r in records
            if all(any(word in str(v).lower() for v in r.values()) for word in words)
        ]
    for field, descending in reversed(keys):
        records.sort(key=_by(field), reverse=descending)
    page = [{c: r[c] for c in columns} for r in records[first : first + how_many]]
    base = f"{ACTION}/datastore_search?resource_id={resource_id.strip()}"
    return envelope(
        request,
        {
            "resource_id": resource_id.strip(),
            "fields": [{"id": c, "type": kinds[c]} for c in columns],
            "records": page,
            "total": len(records),
            "limit": how_many,
            "offset": first,
            "_links": {"start": base, "next": f"{base}&offset={first + how_many}"},
        },
    )


@router.get(
    "/dataset/{name}/resource/{resource_id}/download/{file}",
    response_class=StreamingResponse,
    response_model=None,
    responses={
        200: {
            "description": "The table as CSV: `;`-separated, decimal comma, in UTF-8 or"
            " Windows-1252 (see the charset).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **http_errors({404: "No file with a table behind it has this dataset, id and name."}),
    },
    tags=["open data (CKAN Action API)"],
)
def download(name: str, resource_id: str, file: str) -> StreamingResponse | JSONResponse:
    """A tabular resource's CSV file, written row by row as it is sent."""
    entry = _TABLE_RESOURCES.get(resource_id)
    if entry is None or entry[0] != name or entry[1] != file:
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    table = entry[2]
    charset = "utf-8" if table.encoding == "utf-8" else "windows-1252"
    return StreamingResponse(
        csv_chunks(table),
        media_type=f"text/csv; charset={charset}",
        headers={"Content-Disposition": f'attachment; filename="{file}"'},
    )
