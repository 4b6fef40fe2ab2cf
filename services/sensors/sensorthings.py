"""Client for the OGC SensorThings API v1.1 (FROST-Server and others).

Servers differ: ids are integers (FROST) or strings (UUIDs), `@iot.nextLink` is absolute or
relative, optional fields are missing, and some options (`$select`, nested `$expand`,
`$orderby` of some properties) are refused. Every query is therefore a list of variants, from
the richest to the simplest; a refused variant is remembered and the next one is tried, and
what the server no longer does for us (sorting, filtering) is done here.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.checked import Checked, check, check_list, text_field
from services.errors import BadData, Rejected, ServerError, ServiceError
from services.http import JsonClient

MAX_PAGES = 10  # a cap on following @iot.nextLink, so a looping server cannot hold us
MAX_ITEMS = 10_000  # a cap on the entities of one collection read
MAX_SERIES_PAGES = 50  # observations come in pages of up to PAGE_SIZE
MAX_SERIES_ITEMS = 50_000
MAX_LATEST_PAGES = 10  # without `$orderby` the newest is looked for in this many pages
PAGE_SIZE = 1000  # FROST's usual maxTop; a server serves fewer if it wants
MAX_LOOKUPS = 100  # separate requests for a Thing or Locations when `$expand` is refused
LOOKUP_CONCURRENCY = 6
UNSUPPORTED = frozenset({400, 422, 501})  # "this option is not supported here"


class Unsupported(Rejected):
    """The server refused a query option (400, 422, 501 or an error body)."""


class Unit(BaseModel):
    """`unitOfMeasurement` of a datastream."""

    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    symbol: str | None = None
    definition: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _only_texts(cls, raw: Any) -> Any:
        """Parts that are not text (null, numbers, objects) count as missing."""
        if not isinstance(raw, dict):
            return {}
        return {k: v for k, v in raw.items() if isinstance(v, str)}


def _name_in(raw: Any) -> str | None:
    name = raw.get("name") if isinstance(raw, dict) else None
    return name if isinstance(name, str) else None


def _id_in(raw: Any) -> int | str | None:
    value = raw.get("@iot.id") if isinstance(raw, dict) else None
    return value if isinstance(value, int | str) and not isinstance(value, bool) else None


class Datastream(BaseModel):
    """A series of observations of one property by one sensor."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: int | str = Field(alias="@iot.id")
    name: str
    description: str | None = None
    unit: Unit = Field(default_factory=Unit, alias="unitOfMeasurement")
    observation_type: str | None = Field(default=None, alias="observationType")
    thing_name: str | None = None
    thing_id: int | str | None = None
    observed_property: str | None = None  # the name of the expanded `ObservedProperty`

    @model_validator(mode="before")
    @classmethod
    def _expanded(cls, raw: Any) -> Any:
        """Keep the names of an expanded `Thing` and `ObservedProperty`; drop junk optionals."""
        if not isinstance(raw, dict):
            return raw
        read = dict(raw)
        if isinstance(raw.get("Thing"), dict):
            read["thing_name"] = _name_in(raw["Thing"])
            read["thing_id"] = _id_in(raw["Thing"])
        if isinstance(raw.get("ObservedProperty"), dict):
            read["observed_property"] = _name_in(raw["ObservedProperty"])
        for optional in ("description", "observationType"):
            if optional in read and not isinstance(read[optional], str):
                del read[optional]
        if "unitOfMeasurement" in read and read["unitOfMeasurement"] is None:
            del read["unitOfMeasurement"]
        return read


class Observation(BaseModel):
    """One measured value, as the server sent it."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    phenomenon_time: str = Field(alias="phenomenonTime")
    result: Any = None

    @property
    def time(self) -> datetime | None:
        """When it was measured (UTC; an interval counts as its end)."""
        return parse_time(self.phenomenon_time)

    @property
    def value(self) -> float | None:
        """The result as a number, or None if it is not one."""
        return number(self.result)


class PlacedThing(BaseModel):
    """A Thing with the coordinates of its (first readable) Location."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: int | str = Field(alias="@iot.id")
    name: str
    description: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)
    lon: float | None = None
    lat: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _located(cls, raw: Any) -> Any:
        """Coordinates from the expanded `Locations`; junk optional fields count as missing."""
        if not isinstance(raw, dict):
            return raw
        read = dict(raw)
        if not isinstance(read.get("description"), str):
            read.pop("description", None)
        if not isinstance(read.get("properties"), dict):
            read.pop("properties", None)
        locations = raw.get("Locations")
        if isinstance(locations, list):
            point = next(filter(None, map(location_point, locations)), None)
            if point is not None:
                read["lon"], read["lat"] = point
        return read


@dataclass
class ObservationSeries:
    """Observations of one datastream as plain lists: UTC POSIX seconds and numbers, in order."""

    times: list[float] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    unreadable: int = 0  # results or times that were not numbers
    complete: bool = True  # False when a cap on pages or items stopped the reading

    def points(self) -> list[tuple[datetime, float]]:
        """The observations as (UTC time, value) pairs."""
        pairs = zip(self.times, self.values, strict=True)
        return [(datetime.fromtimestamp(t, UTC), v) for t, v in pairs]


def entity_path(collection: str, entity_id: int | str) -> str:
    """`Datastreams(5)` for FROST's integers, `Datastreams('a-b')` for string ids."""
    if isinstance(entity_id, int) and not isinstance(entity_id, bool):
        return f"{collection}({entity_id})"
    quoted = str(entity_id).replace("'", "''")
    return f"{collection}('{quoted}')"


def parse_time(raw: Any) -> datetime | None:
    """An ISO 8601 time (or the end of an interval `start/end`) in UTC, or None."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip().rsplit("/", 1)[-1]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # STA times are UTC unless they say otherwise
    return parsed.astimezone(UTC)


def number(raw: Any) -> float | None:
    """A finite number from a number or a numeric string; None for anything else."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def iso(moment: datetime) -> str:
    """A time as STA wants it in `$filter`: UTC, `Z`."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def location_point(raw: Any) -> tuple[float, float] | None:
    """(lon, lat) of a Location's GeoJSON `location` (a geometry or a Feature), or None."""
    geometry = raw.get("location") if isinstance(raw, dict) else None
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict):
        return None
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Point":
        return _position(coordinates)
    # a line or an area: the mean of its corners is near enough for a map pin
    corners = [p for p in map(_position, _flatten(coordinates)) if p is not None]
    if not corners:
        return None
    return (
        sum(p[0] for p in corners) / len(corners),
        sum(p[1] for p in corners) / len(corners),
    )


def _flatten(coordinates: Any, depth: int = 0) -> list[Any]:
    if not isinstance(coordinates, list) or depth > 4:
        return []
    if coordinates and not isinstance(coordinates[0], list):
        return [coordinates]
    return [p for part in coordinates for p in _flatten(part, depth + 1)]


def _position(raw: Any) -> tuple[float, float] | None:
    if not isinstance(raw, list) or len(raw) < 2:
        return None
    lon, lat = number(raw[0]), number(raw[1])
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


class SensorThingsClient(JsonClient):
    """The service root, e.g. `https://host/FROST-Server/v1.1`."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(base_url, transport=transport)
        # query name -> the first variant this server accepted, so refusals are not repeated
        self._accepted: dict[str, int] = {}

    def error_detail(self, response: httpx.Response) -> str | None:
        """FROST's `{"code": 400, "type": "error", "message": "…"}`."""
        try:
            body = response.json()
        except ValueError:
            return None
        message = body.get("message") if isinstance(body, dict) else None
        return message[:200] if isinstance(message, str) else None

    async def _page(self, url: str, params: dict[str, Any] | None) -> Any:
        response = await self._send("GET", url, params=params)
        if response.status_code in UNSUPPORTED:
            detail = self.error_detail(response) or f"HTTP {response.status_code}"
            raise Unsupported(detail)
        return self._decode(response)

    async def collection(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        max_pages: int = MAX_PAGES,
        max_items: int = MAX_ITEMS,
    ) -> list[Any]:
        """All entities of a collection, following `@iot.nextLink` up to a cap."""
        values, _complete = await self._read_all(path, params, max_pages, max_items)
        return values

    async def _read_all(
        self, path: str, params: dict[str, Any] | None, max_pages: int, max_items: int
    ) -> tuple[list[Any], bool]:
        url = self._absolute(path)
        body = await self._page(url, params)
        values = _values(body)
        seen = {url}
        pages = 1
        while len(values) < max_items:
            next_url = self._next(body, url)
            if next_url is None:
                return values[:max_items], True
            if next_url in seen or pages >= max_pages:
                return values[:max_items], False
            seen.add(next_url)
            url = next_url
            body = await self._page(url, None)
            values.extend(_values(body))
            pages += 1
        return values[:max_items], self._next(body, url) is None and len(values) <= max_items

    def _absolute(self, path: str) -> str:
        if urlsplit(path).scheme:
            return path
        return self.base_url + "/" + path.lstrip("/")

    def _next(self, body: Any, current: str) -> str | None:
        """The next page's URL on this server, or None (no link, or a link elsewhere)."""
        link = body.get("@iot.nextLink") if isinstance(body, dict) else None
        if not isinstance(link, str) or not link.strip():
            return None
        resolved = urljoin(current, link.strip())
        base, target = urlsplit(self.base_url), urlsplit(resolved)
        if (target.scheme, target.netloc) == (base.scheme, base.netloc):
            return resolved
        # a server behind a proxy may name itself wrongly (http://localhost:8080/…): its own
        # path under our root is still its next page; any other host is not followed
        if base.path and target.path.startswith(base.path + "/"):
            return target._replace(scheme=base.scheme, netloc=base.netloc).geturl()
        return None

    async def _first_accepted(
        self,
        query: str,
        path: str,
        variants: Sequence[dict[str, Any]],
        *,
        max_pages: int = MAX_PAGES,
        max_items: int = MAX_ITEMS,
    ) -> tuple[list[Any], bool, int]:
        """Read with the first variant of the query options the server accepts."""
        start = self._accepted.get(query, 0)
        failed = False  # a 5xx may pass: the variant it hit is tried again next time
        for index in range(start, len(variants)):
            try:
                values, complete = await self._read_all(path, variants[index], max_pages, max_items)
            except (Unsupported, _ErrorBody) as exc:
                if index == len(variants) - 1:
                    raise Rejected(str(exc)) from exc
                continue
            except ServerError:
                if index == len(variants) - 1:
                    raise
                failed = True
                continue  # some servers answer 500 to an option they cannot handle
            if not failed:
                self._accepted[query] = index
            return values, complete, index
        raise Rejected(f"SensorThings: no variant of {query} was accepted")  # pragma: no cover

    async def datastreams(self, top: int = 100) -> Checked[Datastream]:
        """The datastreams with their thing's name; falls back if `$expand` is unsupported."""
        variants: list[dict[str, Any]] = [
            {"$top": top, "$expand": "Thing($select=id,name),ObservedProperty($select=name)"},
            {"$top": top, "$expand": "Thing,ObservedProperty"},
            {"$top": top, "$expand": "Thing"},
            {"$top": top},
        ]
        raw, _complete, used = await self._first_accepted("datastreams", "/Datastreams", variants)
        read = check_list(Datastream, raw, "Datastreams", name_of=text_field("name"))
        if used == len(variants) - 1:
            await self._fill_things(read.entries)
        return read

    async def _fill_things(self, streams: list[Datastream]) -> None:
        """Each stream's Thing fetched on its own, for servers that refuse `$expand`."""
        gate = asyncio.Semaphore(LOOKUP_CONCURRENCY)

        async def fill(stream: Datastream) -> None:
            async with gate:
                try:
                    thing = await self.get_json(f"/{entity_path('Datastreams', stream.id)}/Thing")
                except ServiceError:
                    return  # the name of the sensor box is nice to have, not needed
            stream.thing_name = _name_in(thing)
            stream.thing_id = _id_in(thing)

        await asyncio.gather(*(fill(s) for s in streams[:MAX_LOOKUPS]))

    async def things_with_locations(self, top: int = 100) -> Checked[PlacedThing]:
        """The Things with the coordinates (lon, lat) of their Location, where they have one."""
        variants: list[dict[str, Any]] = [
            {"$top": top, "$expand": "Locations($select=location)"},
            {"$top": top, "$expand": "Locations"},
            {"$top": top},
        ]
        raw, _complete, used = await self._first_accepted("things", "/Things", variants)
        if used == len(variants) - 1:
            raw = await self._with_locations(raw)
        return check_list(PlacedThing, raw, "Things", name_of=text_field("name"))

    async def _with_locations(self, things: list[Any]) -> list[Any]:
        gate = asyncio.Semaphore(LOOKUP_CONCURRENCY)

        async def locate(position: int, raw: Any) -> Any:
            thing_id = _id_in(raw)
            if thing_id is None or position >= MAX_LOOKUPS:
                return raw
            async with gate:
                try:
                    body = await self.get_json(f"/{entity_path('Things', thing_id)}/Locations")
                    locations = _values(body)
                except ServiceError:
                    return raw
            return {**raw, "Locations": locations}

        return list(await asyncio.gather(*(locate(i, t) for i, t in enumerate(things))))

    async def latest_observation(self, datastream_id: int | str) -> Observation | None:
        """The newest observation of a datastream, or None if it has none."""
        path = f"/{entity_path('Datastreams', datastream_id)}/Observations"
        raw: list[Any] | None = None
        if self._accepted.get("latest", 0) == 0:
            try:
                body = await self._page(
                    self._absolute(path), {"$orderby": "phenomenonTime desc", "$top": 1}
                )
                raw = _values(body)[:1]
            except (Unsupported, _ErrorBody):
                self._accepted["latest"] = 1
            except ServerError:
                pass  # perhaps only now: the ordered query is asked again next time
        if raw is None:
            # unordered: the pages are read (up to the cap) and the newest is picked here
            raw = await self.collection(path, {"$top": PAGE_SIZE}, max_pages=MAX_LATEST_PAGES)
        if not raw:
            return None
        readable = [o for o in map(_observation, raw) if o is not None]
        if not readable:
            return check(Observation, raw[0], "Observation")  # raises with the reason
        return max(readable, key=lambda o: o.time or datetime.min.replace(tzinfo=UTC))

    async def observations(
        self,
        datastream_id: int | str,
        since: datetime,
        until: datetime | None = None,
        max_items: int = MAX_SERIES_ITEMS,
    ) -> ObservationSeries:
        """The numeric observations of a datastream from `since` (to `until`), oldest first."""
        path = f"/{entity_path('Datastreams', datastream_id)}/Observations"
        time_filter = f"phenomenonTime ge {iso(since)}"
        if until is not None:
            time_filter += f" and phenomenonTime le {iso(until)}"
        full = {
            "$filter": time_filter,
            "$orderby": "phenomenonTime asc",
            "$select": "phenomenonTime,result",
            "$top": PAGE_SIZE,
        }
        variants: list[dict[str, Any]] = [
            full,
            _without(full, "$select"),
            _without(full, "$select", "$orderby"),
        ]
        raw, complete, _used = await self._first_accepted(
            "observations",
            path,
            variants,
            max_pages=MAX_SERIES_PAGES,
            max_items=max_items,
        )
        return _series(raw, since, until, complete)


class _ErrorBody(BadData):
    """A 200 answer that is an error message instead of a collection."""


def _without(params: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k not in names}


def _values(body: Any) -> list[Any]:
    if isinstance(body, dict) and isinstance(body.get("value"), list):
        return list(body["value"])
    if isinstance(body, dict) and ("error" in body or "message" in body):
        raise _ErrorBody(f"SensorThings: an error instead of a collection: {_said(body)}")
    raise BadData("SensorThings: a collection must have a `value` list")


def _said(body: dict[str, Any]) -> str:
    said = body.get("message") or body.get("error")
    if isinstance(said, dict):
        said = said.get("message")
    return str(said)[:160]


def _observation(raw: Any) -> Observation | None:
    try:
        return Observation.model_validate(raw)
    except ValueError:
        return None


def _series(
    raw: list[Any], since: datetime, until: datetime | None, complete: bool
) -> ObservationSeries:
    """Numbers in time order within [since, until]; everything else counted as unreadable."""
    low = since.timestamp()
    high = until.timestamp() if until is not None else math.inf
    pairs: list[tuple[float, float]] = []
    unreadable = 0
    for entry in raw:
        if not isinstance(entry, dict):
            unreadable += 1
            continue
        moment = parse_time(entry.get("phenomenonTime"))
        value = number(entry.get("result"))
        if moment is None or value is None:
            unreadable += 1
            continue
        stamp = moment.timestamp()
        if low <= stamp <= high:  # a server that ignored `$filter` sent more
            pairs.append((stamp, value))
    if any(pairs[i][0] > pairs[i + 1][0] for i in range(len(pairs) - 1)):
        pairs.sort(key=lambda p: p[0])
    series = ObservationSeries(unreadable=unreadable, complete=complete)
    for stamp, value in pairs:
        series.times.append(stamp)
        series.values.append(value)
    return series
