"""OGC SensorThings API v1.1 (as FROST-Server answers it) over the stub's sample sensors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import Session, col, func, select

from backend_stub.deps import SessionDep
from backend_stub.models import Datastream, Observation, Thing

STA_BASE = "/FROST-Server/v1.1"
DEFAULT_TOP = 100
MAX_TOP = 1000
OBSERVATION_TYPE = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"

router = APIRouter(prefix=STA_BASE, tags=["sensors (OGC SensorThings API v1.1)"])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + STA_BASE


def _paging(request: Request) -> tuple[int, int]:
    params = request.query_params
    try:
        top = min(int(params.get("$top", DEFAULT_TOP)), MAX_TOP)
        skip = int(params.get("$skip", 0))
    except ValueError as exc:
        raise HTTPException(400, "$top and $skip take whole numbers") from exc
    if top < 0 or skip < 0:
        raise HTTPException(400, "$top and $skip must not be negative")
    return top, skip


def _collection(request: Request, values: list[dict[str, Any]], total: int) -> dict[str, Any]:
    top, skip = _paging(request)
    body: dict[str, Any] = {}
    if request.query_params.get("$count") == "true":
        body["@iot.count"] = total
    body["value"] = values
    if skip + top < total:
        query = dict(request.query_params)
        query["$skip"] = str(skip + top)
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


def datastream_json(request: Request, stream: Datastream, session: Session) -> dict[str, Any]:
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
    if request.query_params.get("$expand", "").startswith("Thing"):
        thing = session.get(Thing, stream.thing_id)
        if thing is not None:
            body["Thing"] = thing_json(request, thing)
    return body


def _id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise HTTPException(404, "Nothing found.") from exc


@router.get("")
def service_root(request: Request) -> dict[str, Any]:
    """The collections this server offers."""
    names = ["Things", "Datastreams", "Observations"]
    return {
        "value": [{"name": n, "url": f"{_base(request)}/{n}"} for n in names],
        "serverSettings": {"conformance": ["http://www.opengis.net/spec/iot_sensing/1.1/req/core"]},
    }


@router.get("/Things")
def things(request: Request, session: SessionDep) -> dict[str, Any]:
    """All Things."""
    top, skip = _paging(request)
    total = session.exec(select(func.count()).select_from(Thing)).one()
    rows = session.exec(select(Thing).order_by(col(Thing.id)).offset(skip).limit(top)).all()
    return _collection(request, [thing_json(request, t) for t in rows], total)


@router.get("/Datastreams")
def datastreams(request: Request, session: SessionDep) -> dict[str, Any]:
    """All Datastreams."""
    top, skip = _paging(request)
    total = session.exec(select(func.count()).select_from(Datastream)).one()
    rows = session.exec(
        select(Datastream).order_by(col(Datastream.id)).offset(skip).limit(top)
    ).all()
    return _collection(request, [datastream_json(request, s, session) for s in rows], total)


@router.get("/Datastreams({datastream_id})")
def datastream(request: Request, session: SessionDep, datastream_id: str) -> dict[str, Any]:
    """One Datastream."""
    stream = session.get(Datastream, _id(datastream_id))
    if stream is None:
        raise HTTPException(404, "Nothing found.")
    return datastream_json(request, stream, session)


@router.get("/Datastreams({datastream_id})/Observations")
def observations(request: Request, session: SessionDep, datastream_id: str) -> dict[str, Any]:
    """The Observations of a Datastream; `$orderby=phenomenonTime desc|asc`."""
    stream_id = _id(datastream_id)
    if session.get(Datastream, stream_id) is None:
        raise HTTPException(404, "Nothing found.")
    top, skip = _paging(request)
    order = request.query_params.get("$orderby", "phenomenonTime asc").strip()
    if order not in ("phenomenonTime asc", "phenomenonTime desc", "phenomenonTime"):
        raise HTTPException(400, f"unsupported $orderby: {order}")
    column = col(Observation.phenomenon_time)
    ordered = column.desc() if order.endswith("desc") else column.asc()
    query = select(Observation).where(Observation.datastream_id == stream_id)
    total = session.exec(
        select(func.count()).select_from(Observation).where(Observation.datastream_id == stream_id)
    ).one()
    rows = session.exec(query.order_by(ordered).offset(skip).limit(top)).all()
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
    return _collection(request, values, total)
