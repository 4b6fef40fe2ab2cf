"""OGC SensorThings API v1.1 (as FROST-Server answers it) over the simulated LoRaWAN sensors.

Every entity set has its collection, its entities by id (`Things(1)`) and their navigation
properties (`Things(1)/Datastreams`, `Datastreams(1)/Thing`, ...). The query options are
declared as strings and read by `backend_stub.sensors.query`: an option the server cannot read
is answered 400 with FROST's error body, `{"code": 400, "type": "error", "message": "..."}`,
and an unknown id 404 in the same shape. Observations are computed from the stub's clock
(`backend_stub.sensors.simulation`), 30 days back from its now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from backend_stub.deps import NowDep
from backend_stub.errors import Responses, answer, documented
from backend_stub.sensors.entities import ENTITY_SETS, World
from backend_stub.sensors.query import (
    DEFAULT_TOP,
    MAX_TOP,
    OPTION_NAMES,
    Options,
    QueryError,
    parse_options,
)
from backend_stub.sensors.reading import check_options, next_link, read, render

STA_BASE = "/FROST-Server/v1.1"
MAX_ID_DIGITS = 18
ENTITY_OPTIONS = ("$select", "$expand")
CONFORMANCE = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
]

router = APIRouter(prefix=STA_BASE, tags=["sensors (OGC SensorThings API v1.1)"])


# --- what the answers look like (documentation: $select leaves out what it does not name) -----


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


class StaError(BaseModel):
    """FROST-Server's error body."""

    code: int
    type: str = Field(description="`error`")
    message: str


class Entity(BaseModel):
    """An entity: `$select` decides which properties come; `$expand` adds related entities,
    `X@iot.navigationLink` leads to them."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    iot_id: int | None = Field(default=None, alias="@iot.id")
    self_link: str | None = Field(default=None, alias="@iot.selfLink")


class Named(Entity):
    """An entity with a name and a description."""

    name: str | None = None
    description: str | None = None
    properties: dict[str, Any] | None = None


class ThingEntity(Named):
    """A Thing: a sensor box somewhere in the city."""


class LocationEntity(Named):
    """Where a Thing stands: a GeoJSON Point `[lon, lat]`."""

    encodingType: str | None = None
    location: dict[str, Any] | None = None


class DatastreamEntity(Named):
    """A series of observations of one property at one Thing."""

    observationType: str | None = None
    unitOfMeasurement: dict[str, Any] | None = None
    observedArea: dict[str, Any] | None = None
    phenomenonTime: str | None = Field(default=None, description="an interval `start/end`")
    resultTime: str | None = None


class SensorEntity(Named):
    """A device model."""

    encodingType: str | None = None
    metadata: str | None = None


class ObservedPropertyEntity(Named):
    """What is measured."""

    definition: str | None = None


class ObservationEntity(Entity):
    """A measured value (times in UTC)."""

    phenomenonTime: str | None = None
    resultTime: str | None = None
    result: float | None = None


class FeatureOfInterestEntity(Named):
    """Where an observation was made: a GeoJSON Point."""

    encodingType: str | None = None
    feature: dict[str, Any] | None = None


class Page(BaseModel):
    """A page of a collection; `@iot.nextLink` leads to the next one."""

    model_config = ConfigDict(populate_by_name=True)

    count: int | None = Field(default=None, alias="@iot.count")
    next_link: str | None = Field(default=None, alias="@iot.nextLink")


class Things(Page):
    """A page of Things."""

    value: list[ThingEntity]


class Locations(Page):
    """A page of Locations."""

    value: list[LocationEntity]


class Datastreams(Page):
    """A page of Datastreams."""

    value: list[DatastreamEntity]


class Sensors(Page):
    """A page of Sensors."""

    value: list[SensorEntity]


class ObservedProperties(Page):
    """A page of ObservedProperties."""

    value: list[ObservedPropertyEntity]


class Observations(Page):
    """A page of Observations."""

    value: list[ObservationEntity]


class FeaturesOfInterest(Page):
    """A page of FeaturesOfInterest."""

    value: list[FeatureOfInterestEntity]


DOCS: dict[str, tuple[type[BaseModel], type[BaseModel]]] = {
    "Things": (ThingEntity, Things),
    "Locations": (LocationEntity, Locations),
    "Datastreams": (DatastreamEntity, Datastreams),
    "Sensors": (SensorEntity, Sensors),
    "ObservedProperties": (ObservedPropertyEntity, ObservedProperties),
    "Observations": (ObservationEntity, Observations),
    "FeaturesOfInterest": (FeatureOfInterestEntity, FeaturesOfInterest),
}
REFUSED = documented(StaError, {400: "A query option (or id) the server cannot read."})
NOT_FOUND = documented(StaError, {404: "`Nothing found.`: no entity with this id."})


# --- the query options, declared (they are read from the query string by our own parser) -----

Filter = Annotated[
    str | None,
    Query(
        alias="$filter",
        description="e.g. `phenomenonTime ge 2026-10-01T00:00:00Z and result gt 40`, "
        "`properties/kind eq 'air_quality'`, `substringof('Köln', name)`",
    ),
]
Expand = Annotated[
    str | None,
    Query(
        alias="$expand",
        description="e.g. `Thing($select=id,name),ObservedProperty`, "
        "`Datastreams($top=5;$expand=Observations($orderby=phenomenonTime desc;$top=1))`",
    ),
]
OrderBy = Annotated[
    str | None, Query(alias="$orderby", description="e.g. `phenomenonTime desc`, `name,id desc`")
]
Top = Annotated[
    str | None,
    Query(
        alias="$top",
        description=f"page size, a whole number (default {DEFAULT_TOP}, at most {MAX_TOP})",
    ),
]
Skip = Annotated[str | None, Query(alias="$skip", description="entities to skip, a whole number")]
Select = Annotated[
    str | None, Query(alias="$select", description="e.g. `id,name` (`id` is `@iot.id`)")
]
Count = Annotated[
    str | None, Query(alias="$count", description="`true`: the answer says `@iot.count`")
]
EntityId = Annotated[str, Path(description="the entity's id, e.g. `1`", examples=["1"])]


def collection_options(
    filter_: Filter = None,
    expand: Expand = None,
    orderby: OrderBy = None,
    top: Top = None,
    skip: Skip = None,
    select: Select = None,
    count: Count = None,
) -> None:
    """Declares the options of a collection (they are read from the query string as given)."""


def entity_options(expand: Expand = None, select: Select = None) -> None:
    """Declares the options of a single entity."""


CollectionOptions = Depends(collection_options)
EntityOptions = Depends(entity_options)


# --- answering --------------------------------------------------------------------------------


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + STA_BASE


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"code": status, "type": "error", "message": message}, status_code=status)


def _id(raw: str) -> int | None:
    """The id in `Things(…)`: digits; anything else (a quoted string, say) names nothing here."""
    if raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS:
        return int(raw)
    return None


def _serve(
    request: Request, now: datetime, set_name: str, raw_id: str | None, link: str | None
) -> dict[str, Any] | JSONResponse:
    world = World(now)
    entity_set = ENTITY_SETS[set_name]
    navigation = entity_set.links[link] if link else None
    is_collection = raw_id is None or (navigation is not None and navigation.many)
    try:
        options = parse_options(
            request.query_params.multi_items(), OPTION_NAMES if is_collection else ENTITY_OPTIONS
        )
        target = navigation.target if navigation else set_name
        check_options(target, options)
    except QueryError as refused:
        return _error(400, str(refused))
    base = _base(request)
    if raw_id is None:
        return _collection(request, target, world.all(set_name), options, world, base)
    entity_id = _id(raw_id)
    row = None if entity_id is None else world.get(set_name, entity_id)
    if row is None:
        return _error(404, "Nothing found.")
    if link is None or navigation is None:
        return render(set_name, row, options, world, base)
    if navigation.many:
        return _collection(request, target, world.many(set_name, row, link), options, world, base)
    related = world.one(set_name, row, link)
    if related is None:
        return _error(404, "Nothing found.")
    return render(target, related, options, world, base)


def _collection(
    request: Request, set_name: str, source: Any, options: Options, world: World, base: str
) -> dict[str, Any]:
    page = read(set_name, source, options, world)
    body: dict[str, Any] = {}
    if options.count:
        body["@iot.count"] = page.total
    if page.more_after(options):
        url = str(request.url.replace(query=""))
        raw = tuple((k, v) for k, v in request.query_params.multi_items() if k.startswith("$"))
        body["@iot.nextLink"] = next_link(url, Options(top=options.top, skip=options.skip, raw=raw))
    body["value"] = [render(set_name, r, options, world, base) for r in page.rows]
    return body


# --- the routes -------------------------------------------------------------------------------


@router.get("", response_model=None, responses=answer(ServiceRoot, "The collections."))
def service_root(request: Request) -> dict[str, Any]:
    """The collections this server offers."""
    return {
        "value": [{"name": n, "url": f"{_base(request)}/{n}"} for n in ENTITY_SETS],
        "serverSettings": {"conformance": CONFORMANCE},
    }


Endpoint = Callable[..., dict[str, Any] | JSONResponse]


def _collection_endpoint(set_name: str) -> Endpoint:
    def endpoint(request: Request, now: NowDep) -> dict[str, Any] | JSONResponse:
        return _serve(request, now, set_name, None, None)

    return endpoint


def _entity_endpoint(set_name: str, link: str | None) -> Endpoint:
    def endpoint(
        request: Request, now: NowDep, entity_id: EntityId
    ) -> dict[str, Any] | JSONResponse:
        return _serve(request, now, set_name, entity_id, link)

    return endpoint


def _responses(model: type[BaseModel], what: str, *extra: Responses) -> Responses:
    merged: Responses = {**answer(model, what), **REFUSED}
    for more in extra:
        merged.update(more)
    return merged


def _add_routes() -> None:
    for set_name, entity_set in ENTITY_SETS.items():
        entity_doc, page_doc = DOCS[set_name]
        router.add_api_route(
            f"/{set_name}",
            _collection_endpoint(set_name),
            methods=["GET"],
            response_model=None,
            responses=_responses(page_doc, f"A page of {set_name}."),
            dependencies=[CollectionOptions],
            summary=f"{set_name}",
            description=f"All {set_name}, filtered, ordered and paged as the options say.",
            operation_id=f"staList{set_name}",
        )
        router.add_api_route(
            f"/{set_name}({{entity_id}})",
            _entity_endpoint(set_name, None),
            methods=["GET"],
            response_model=None,
            responses=_responses(entity_doc, "The entity.", NOT_FOUND),
            dependencies=[EntityOptions],
            summary=f"One of the {set_name}",
            description=f"One of the {set_name} by its id.",
            operation_id=f"staGet{set_name}",
        )
        for link_name, link in entity_set.links.items():
            target_entity, target_page = DOCS[link.target]
            router.add_api_route(
                f"/{set_name}({{entity_id}})/{link_name}",
                _entity_endpoint(set_name, link_name),
                methods=["GET"],
                response_model=None,
                responses=_responses(
                    target_page if link.many else target_entity,
                    f"The entity's {link_name}.",
                    NOT_FOUND,
                ),
                dependencies=[CollectionOptions if link.many else EntityOptions],
                summary=f"{link_name} of one of the {set_name}",
                description=f"The {link_name} of one of the {set_name}.",
                operation_id=f"staGet{set_name}{link_name}",
            )


_add_routes()
