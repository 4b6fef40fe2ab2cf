"""The CKAN Action API (`/api/3/action/...`) over the stub's sample catalogue."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import select

from backend_stub.deps import SessionDep
from backend_stub.errors import answer, ckan, ckan_failure
from backend_stub.models import Dataset
from backend_stub.seed_data import ORGANIZATIONS

router = APIRouter(prefix="/api/3/action", tags=["open data (CKAN Action API)"])

MAX_ROWS = 1000


class Named(BaseModel):
    """A tag or group, by name."""

    name: str


class Organization(BaseModel):
    """The publisher."""

    name: str
    title: str


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
    resources: list[dict[str, Any]]
    num_resources: int


class SearchResult(BaseModel):
    """What `package_search` found."""

    count: int
    results: list[Package]
    sort: str
    facets: dict[str, dict[str, int]]
    search_facets: dict[str, Any]


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


class StatusAnswer(Envelope):
    """What this CKAN is."""

    result: dict[str, Any]


def envelope(request: Request, result: Any) -> dict[str, Any]:
    """CKAN's success envelope."""
    return {"help": str(request.url.replace(query="")), "success": True, "result": result}


def package_json(dataset: Dataset) -> dict[str, Any]:
    """A dataset as `package_show` returns it."""
    return {
        "id": dataset.id,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "license_id": dataset.license_id,
        "license_title": dataset.license_title,
        "organization": {
            "name": dataset.organization,
            "title": ORGANIZATIONS.get(dataset.organization, dataset.organization),
        },
        "groups": [{"name": name} for name in json.loads(dataset.groups)],
        "tags": [{"name": name} for name in json.loads(dataset.tags)],
        "metadata_modified": dataset.metadata_modified.isoformat(),
        "resources": json.loads(dataset.resources),
        "num_resources": len(json.loads(dataset.resources)),
    }


def _matches(package: dict[str, Any], q: str, fq: str) -> bool:
    haystack = " ".join(
        [package["title"], package["notes"], *(t["name"] for t in package["tags"])]
    ).lower()
    if q and not all(word in haystack for word in q.lower().split()):
        return False
    for clause in fq.split():
        field, _, value = clause.partition(":")
        value = value.strip('"')
        if field == "tags" and value not in {t["name"] for t in package["tags"]}:
            return False
        if field == "organization" and package["organization"]["name"] != value:
            return False
    return True


@router.get(
    "/package_search",
    response_model=None,
    responses={
        **answer(SearchAnswer, "The datasets found."),
        **ckan({409: f"`Validation Error`: rows must be at most {MAX_ROWS}."}),
    },
)
def package_search(
    request: Request,
    session: SessionDep,
    q: str = "",
    fq: str = "",
    rows: int = Query(10, ge=0),
    start: int = Query(0, ge=0),
    sort: str = "score desc, metadata_modified desc",
) -> dict[str, Any] | JSONResponse:
    """Search by words and simple `fq` filters; sort by title or modification time."""
    if rows > MAX_ROWS:
        return ckan_failure(request, 409, "Validation Error", f"rows must be at most {MAX_ROWS}")
    packages = [package_json(d) for d in session.exec(select(Dataset)).all()]
    found = [p for p in packages if _matches(p, q.strip("*: "), fq)]
    if sort.startswith("title_string") or sort.startswith("title"):
        found.sort(key=lambda p: p["title"], reverse=sort.endswith("desc"))
    else:
        found.sort(key=lambda p: p["metadata_modified"], reverse=True)
    tag_counts: dict[str, int] = {}
    for package in found:
        for tag in package["tags"]:
            tag_counts[tag["name"]] = tag_counts.get(tag["name"], 0) + 1
    return envelope(
        request,
        {
            "count": len(found),
            "results": found[start : start + rows],
            "sort": sort,
            "facets": {"tags": tag_counts},
            "search_facets": {
                "tags": {
                    "title": "tags",
                    "items": [
                        {"name": n, "display_name": n, "count": c} for n, c in tag_counts.items()
                    ],
                }
            },
        },
    )


@router.get(
    "/package_show",
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


@router.get(
    "/organization_list", response_model=None, responses=answer(NamesAnswer, "The publishers.")
)
def organization_list(request: Request) -> dict[str, Any]:
    """The publishers' names."""
    return envelope(request, sorted(ORGANIZATIONS))


@router.get("/group_list", response_model=None, responses=answer(NamesAnswer, "The groups."))
def group_list(request: Request, session: SessionDep) -> dict[str, Any]:
    """The groups' names."""
    names = {g for d in session.exec(select(Dataset)).all() for g in json.loads(d.groups)}
    return envelope(request, sorted(names))


@router.get("/tag_list", response_model=None, responses=answer(NamesAnswer, "The tags."))
def tag_list(request: Request, session: SessionDep) -> dict[str, Any]:
    """All tags."""
    names = {t for d in session.exec(select(Dataset)).all() for t in json.loads(d.tags)}
    return envelope(request, sorted(names))


@router.get("/status_show", response_model=None, responses=answer(StatusAnswer, "This CKAN."))
def status_show(request: Request) -> dict[str, Any]:
    """What this CKAN is."""
    return envelope(
        request,
        {"ckan_version": "2.10.0", "site_title": "Offene Daten Köln (Stub)", "extensions": []},
    )
