"""OGC SensorThings API v1.1 (as FROST-Server answers it) over the stub's sample sensors.

The query options the stub understands are declared, so its OpenAPI says what it takes; a
malformed one is refused by FastAPI's own check (422 with `{"detail": [...]}`), where FROST
would answer 400: the app treats both as "this option is not supported" and falls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from backend_stub.deps import SessionDep
from backend_stub.errors import answer, http_errors
from backend_stub.models import Datastream, Observation, Thing

STA_BASE = "/FROST-Server/v1.1"
DEFAULT_TOP = 100
MAX_TOP = 1000  # a larger $top is served as this many, as FROST does
MAX_SKIP = 2**31 - 1
# Ids are INTEGER columns: 32-bit on PostgreSQL, which refuses to compare a larger number with
# them, so a larger id is not looked up at all (it cannot be in the database).
MAX_ID = 2**31 - 1
OBSERVATION_TYPE = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
NOTHING_FOUND = http_errors({404: "`Nothing found.`: no entity with this id."})

router = APIRouter(prefix=STA_BASE, tags=["sensors (OGC SensorThings API v1.1)"])


# --- what the answers look like ---------------------------------------------------------------


class Link(BaseModel):
    """A collection the server offers."""

    name: str
    url: str


class ServerSettings(BaseModel):
    """The conformance classes the server implements."""

    conformance: list[str]


class ServiceRoot(BaseModel):
    """The service root."""

    value: list[Link]
    serverSettings: ServerSettings


class Unit(BaseModel):
    """A Datastream's unit of measurement."""

    name: str
    symbol: str
    definition: str


class ThingEntity(BaseModel):
    """A Thing with its navigation links."""

    iot_id: int = Field(alias="@iot.id")
    self_link: str = Field(alias="@iot.selfLink")
    name: str
    description: str
    properties: dict[str, Any]
    datastreams_link: str = Field(alias="Datastreams@iot.navigationLink")
    locations_link: str = Field(alias="Locations@iot.navigationLink")


class DatastreamEntity(BaseModel):
    """A Datastream, with its Thing when `$expand=Thing` was asked for."""

    iot_id: int = Field(alias="@iot.id")
    self_link: str = Field(alias="@iot.selfLink")
    name: str
    description: str
    observationType: str
    unitOfMeasurement: Unit
    observations_link: str = Field(alias="Observations@iot.navigationLink")
    thing_link: str = Field(alias="Thing@iot.navigationLink")
    Thing: ThingEntity | None = None


class ObservationEntity(BaseModel):
    """An Observation (times in UTC)."""

    iot_id: int = Field(alias="@iot.id")
    phenomenonTime: str
    resultTime: str | None
    result: float


class Page(BaseModel):
    """A page of a collection; `@iot.nextLink` leads to the next one."""

    count: int | None = Field(default=None, alias="@iot.count")
    next_link: str | None = Field(default=None, alias="@iot.nextLink")


class Things(Page):
    """A page of Things."""

    value: list[ThingEntity]


class Datastreams(Page):
    """A page of Datastreams."""

    value: list[DatastreamEntity]


class Observations(Page):
    """A page of Observations."""

    value: list[ObservationEntity]


# --- query options ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    """`$top`, `$skip` and `$count` of a collection request."""

    top: int
    skip: int
    count: bool


def paging(
    top: Annotated[
        int, Query(alias="$top", ge=0, description=f"page size (at most {MAX_TOP} are served)")
    ] = DEFAULT_TOP,
    skip: Annotated[int, Query(alias="$skip", ge=0, le=MAX_SKIP)] = 0,
    count: Annotated[Literal["true", "false"], Query(alias="$count")] = "false",
) -> Paging:
    """The paging options of a collection request."""
    return Paging(top=min(top, MAX_TOP), skip=skip, count=count == "true")


PagingDep = Annotated[Paging, Depends(paging)]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + STA_BASE


def _collection(
    request: Request, paged: Paging, values: list[dict[str, Any]], total: int
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if paged.count:
        body["@iot.count"] = total
    body["value"] = values
    if paged.skip + paged.top < total:
        query = dict(request.query_params)
        query["$skip"] = str(paged.skip + paged.top)
        body["@iot.nextLink"] = str(request.url.replace_query_params(**query))
    return body


def thing_json(request: Request, thing: Thing) -> dict[str, Any]:
    """A Thing with its navigation links."""
    link = f"{_base(request)}/Things({thing.id})"
    return {
        "@iot.id": thing.id,
        "@iot.selfLink": link,
        "name": thing.name,
        "description": thing.description,
        "properties": {"sample": True},
        "Datastreams@iot.navigationLink": f"{link}/Datastreams",
        "Locations@iot.navigationLink": f"{link}/Locations",
    }


def datastream_json(
    request: Request, stream: Datastream, session: Session, expand: str
) -> dict[str, Any]:
    """A Datastream, with its Thing when `$expand=Thing` was asked for."""
    link = f"{_base(request)}/Datastreams({stream.id})"
    body: dict[str, Any] = {
        "@iot.id": stream.id,
        "@iot.selfLink": link,
        "name": stream.name,
        "description": stream.description,
        "observationType": OBSERVATION_TYPE,
        "unitOfMeasurement": {
            "name": stream.unit_name,
            "symbol": stream.unit_symbol,
            "definition": stream.unit_definition,
        },
        "Observations@iot.navigationLink": f"{link}/Observations",
        "Thing@iot.navigationLink": f"{link}/Thing",
    }
    if expand.startswith("Thing"):
        thing = session.get(Thing, stream.thing_id)
        if thing is not None:
            body["Thing"] = thing_json(request, thing)
    return body


def _id(raw: str) -> int:
    """The entity id in `Datastreams(…)`: digits only, else nothing can be found."""
    digits = raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_ID))
    if not digits or int(raw) > MAX_ID:
        raise HTTPException(404, "Nothing found.")
    return int(raw)


EntityId = Annotated[str, Path(examples=["1"])]
Expand = Annotated[
    str, Query(alias="$expand", description="`Thing` (with nested options) or nothing")
]


@router.get("", response_model=None, responses=answer(ServiceRoot, "The collections."))
def service_root(request: Request) -> dict[str, Any]:
    """The collections this server offers."""
    names = ["Things", "Datastreams", "Observations"]
    return {
        "value": [{"name": n, "url": f"{_base(request)}/{n}"} for n in names],
        "serverSettings": {"conformance": ["http://www.opengis.net/spec/iot_sensing/1.1/req/core"]},
    }


@router.get("/Things", response_model=None, responses=answer(Things, "A page of Things."))
def things(request: Request, session: SessionDep, paged: PagingDep) -> dict[str, Any]:
    """All Things."""
    total = session.exec(select(func.count()).select_from(Thing)).one()
    rows = session.exec(
        select(Thing).order_by(col(Thing.id)).offset(paged.skip).limit(paged.top)
    ).all()
    return _collection(request, paged, [thing_json(request, t) for t in rows], total)


@router.get(
    "/Datastreams", response_model=None, responses=answer(Datastreams, "A page of Datastreams.")
)
def datastreams(
    request: Request, session: SessionDep, paged: PagingDep, expand: Expand = ""
) -> dict[str, Any]:
    """All Datastreams."""
    total = session.exec(select(func.count()).select_from(Datastream)).one()
    rows = session.exec(
        select(Datastream).order_by(col(Datastream.id)).offset(paged.skip).limit(paged.top)
    ).all()
    values = [datastream_json(request, s, session, expand) for s in rows]
    return _collection(request, paged, values, total)


@router.get(
    "/Datastreams({datastream_id})",
    response_model=None,
    responses={**answer(DatastreamEntity, "The Datastream."), **NOTHING_FOUND},
)
def datastream(
    request: Request, session: SessionDep, datastream_id: EntityId, expand: Expand = ""
) -> dict[str, Any]:
    """One Datastream."""
    stream = session.get(Datastream, _id(datastream_id))
    if stream is None:
        raise HTTPException(404, "Nothing found.")
    return datastream_json(request, stream, session, expand)


@router.get(
    "/Datastreams({datastream_id})/Observations",
    response_model=None,
    responses={**answer(Observations, "A page of the Datastream's Observations."), **NOTHING_FOUND},
)
def observations(
    request: Request,
    session: SessionDep,
    datastream_id: EntityId,
    paged: PagingDep,
    orderby: Annotated[
        Literal["phenomenonTime asc", "phenomenonTime desc", "phenomenonTime"],
        Query(alias="$orderby"),
    ] = "phenomenonTime asc",
) -> dict[str, Any]:
    """The Observations of a Datastream; `$orderby=phenomenonTime desc|asc`."""
    stream_id = _id(datastream_id)
    if session.get(Datastream, stream_id) is None:
        raise HTTPException(404, "Nothing found.")
    column = col(Observation.phenomenon_time)
    ordered = column.desc() if orderby.endswith("desc") else column.asc()
    query = select(Observation).where(Observation.datastream_id == stream_id)
    total = session.exec(
        select(func.count()).select_from(Observation).where(Observation.datastream_id == stream_id)
    ).one()
    rows = session.exec(query.order_by(ordered).offset(paged.skip).limit(paged.top)).all()
    values = [
        {
            "@iot.id": o.id,
            "phenomenonTime": o.phenomenon_time.isoformat().replace("+00:00", "Z")
            if o.phenomenon_time.tzinfo
            else o.phenomenon_time.isoformat() + "Z",
            "resultTime": None,
            "result": o.result,
        }
        for o in rows
    ]
    return _collection(request, paged, values, total)
