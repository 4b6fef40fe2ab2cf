"""Answer a SensorThings request: check the options against the entity set, filter, order,
page and render entities with their links and expansions.

Observations are not kept anywhere: a filter on `phenomenonTime` (or `resultTime`) and on
`Datastream/id` narrows the slots arithmetically, and a page ordered by id or time is computed
directly, so a 30-day series of 50 Datastreams costs only the page asked for.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from backend_stub.sensors import simulation
from backend_stub.sensors.entities import (
    ENTITY_SETS,
    ObservationSource,
    Row,
    Source,
    World,
    iso,
    observation,
)
from backend_stub.sensors.query import (
    Binary,
    Call,
    Expr,
    Literal,
    Not,
    Options,
    OrderKey,
    Path,
    QueryError,
    parse_time,
)

ID_NAMES = ("id", "@iot.id")
TIMES = ("phenomenonTime", "resultTime")
ID_PATHS = (("id",), ("@iot.id",))
TIME_PATHS = (("phenomenonTime",), ("resultTime",))


class Many(list[Any]):
    """The values of a path through a to-many navigation property: a comparison holds if it
    holds for any of them."""


# --- checking options against an entity set ---------------------------------------------------


def check_options(set_name: str, options: Options) -> None:
    """Refuse options that name what the entity set does not have."""
    entity_set = ENTITY_SETS[set_name]
    if options.filter is not None:
        _check_expr(set_name, options.filter)
    for key in options.orderby:
        _check_expr(set_name, key.expr)
    for name in options.select or ():
        known = (*ID_NAMES, "@iot.selfLink", *entity_set.properties, *entity_set.links)
        if name not in known:
            raise QueryError(f"{set_name} have no property {name!r} to select.")
    for expand in options.expand:
        link = entity_set.links.get(expand.name)
        if link is None:
            raise QueryError(f"{set_name} have no navigation property {expand.name!r}.")
        check_options(link.target, expand.options)


def _check_expr(set_name: str, expr: Expr) -> None:
    if isinstance(expr, Path):
        _check_path(set_name, expr.segments)
    elif isinstance(expr, Call):
        for arg in expr.args:
            _check_expr(set_name, arg)
    elif isinstance(expr, Binary):
        _check_expr(set_name, expr.left)
        _check_expr(set_name, expr.right)
    elif isinstance(expr, Not):
        _check_expr(set_name, expr.operand)


def _check_path(set_name: str, segments: tuple[str, ...]) -> None:
    entity_set = ENTITY_SETS[set_name]
    head, rest = segments[0], segments[1:]
    if head in ID_NAMES or (
        head in entity_set.properties and head not in entity_set.json_properties
    ):
        if rest:
            raise QueryError(f"{head} of {set_name} has no {'/'.join(rest)!r}.")
    elif head in entity_set.json_properties:
        return  # anything inside JSON may be asked for; what is missing is null
    elif head in entity_set.links:
        if not rest:
            raise QueryError(f"{head} is an entity, not a value: name one of its properties.")
        _check_path(entity_set.links[head].target, rest)
    else:
        raise QueryError(f"{set_name} have no property {head!r}.")


# --- evaluating expressions -------------------------------------------------------------------


def evaluate(expr: Expr, set_name: str, row: Row, world: World) -> Any:
    """The value of an expression for one entity (None where the value does not exist)."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Path):
        return path_value(set_name, row, expr.segments, world)
    if isinstance(expr, Not):
        return evaluate(expr.operand, set_name, row, world) is not True
    if isinstance(expr, Call):
        return _call(expr.name, [evaluate(a, set_name, row, world) for a in expr.args])
    if expr.op == "and":
        return (
            evaluate(expr.left, set_name, row, world) is True
            and evaluate(expr.right, set_name, row, world) is True
        )
    if expr.op == "or":
        return (
            evaluate(expr.left, set_name, row, world) is True
            or evaluate(expr.right, set_name, row, world) is True
        )
    left = evaluate(expr.left, set_name, row, world)
    right = evaluate(expr.right, set_name, row, world)
    return (
        _arithmetic(expr.op, left, right)
        if expr.op in _ARITHMETIC
        else compare(expr.op, left, right)
    )


def path_value(set_name: str, row: Row, segments: tuple[str, ...], world: World) -> Any:
    """The value at a path from an entity."""
    entity_set = ENTITY_SETS[set_name]
    head, rest = segments[0], segments[1:]
    if head in ID_NAMES:
        return row["id"]
    if head in entity_set.links:
        link = entity_set.links[head]
        if not link.many:
            target = world.one(set_name, row, head)
            return None if target is None else path_value(link.target, target, rest, world)
        values = Many()
        for target in _all_rows(world.many(set_name, row, head), world):
            found = path_value(link.target, target, rest, world)
            values.extend(found if isinstance(found, Many) else [found])
        return values
    value = row.get(head)
    for key in rest:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _comparable(left: Any, right: Any) -> tuple[Any, Any] | None:
    if isinstance(left, datetime) and isinstance(right, str):
        right = _time_or_none(right)
    elif isinstance(right, datetime) and isinstance(left, str):
        left = _time_or_none(left)
    for kinds in ((bool,), (str,), (datetime,)):
        if isinstance(left, kinds) and isinstance(right, kinds):
            return left, right
    numbers = isinstance(left, int | float) and isinstance(right, int | float)
    if numbers and not isinstance(left, bool) and not isinstance(right, bool):
        return left, right
    if isinstance(left, dict | list) and type(left) is type(right):
        return left, right  # only equality is meaningful
    return None


def _time_or_none(text: str) -> datetime | None:
    try:
        return parse_time(text)
    except QueryError:
        return None


def compare(op: str, left: Any, right: Any) -> bool:
    """`left op right` for eq ne gt ge lt le; values of different kinds are never equal."""
    if isinstance(left, Many):
        return any(compare(op, value, right) for value in left)
    if isinstance(right, Many):
        return any(compare(op, left, value) for value in right)
    if op in ("eq", "ne"):
        if left is None or right is None:
            equal = left is None and right is None
        else:
            pair = _comparable(left, right)
            equal = pair is not None and pair[0] == pair[1]
        return equal if op == "eq" else not equal
    pair = _comparable(left, right)
    if pair is None or isinstance(pair[0], dict | list) or None in pair:
        return False
    a, b = pair
    if op == "gt":
        return bool(a > b)
    if op == "ge":
        return bool(a >= b)
    if op == "lt":
        return bool(a < b)
    return bool(a <= b)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _arithmetic(op: str, left: Any, right: Any) -> Any:
    """`left op right` for numbers; None for anything else, and where the result is no number
    (division by zero, an integer too large for a float, the remainder of infinity)."""
    if not (_number(left) and _number(right)):
        return None
    try:
        return _calculate(op, left, right)
    except (ArithmeticError, ValueError):
        return None


def _calculate(op: str, left: Any, right: Any) -> Any:
    if op in ("div", "mod") and right == 0:
        return None
    whole = isinstance(left, int) and isinstance(right, int)
    if op == "add":
        return left + right
    if op == "sub":
        return left - right
    if op == "mul":
        return left * right
    if op == "div":
        return left // right if whole else left / right
    return left % right if whole else math.fmod(left, right)


_ARITHMETIC = ("add", "sub", "mul", "div", "mod")


def _text_call(name: str, args: list[Any]) -> Any:
    if not all(isinstance(a, str) for a in args[:2] if name != "substring"):
        return None
    if name == "substringof":
        return args[0] in args[1]
    if name == "contains":
        return args[1] in args[0]
    if name == "startswith":
        return args[0].startswith(args[1])
    if name == "endswith":
        return args[0].endswith(args[1])
    if name == "indexof":
        return args[0].find(args[1])
    if name == "concat":
        return args[0] + args[1]
    if name == "length":
        return len(args[0])
    if name == "tolower":
        return args[0].lower()
    if name == "toupper":
        return args[0].upper()
    if name == "trim":
        return args[0].strip()
    # substring(text, start[, length])
    text, numbers = args[0], args[1:]
    if not isinstance(text, str) or not all(isinstance(n, int) and n >= 0 for n in numbers):
        return None
    start = numbers[0]
    return text[start : start + numbers[1]] if len(numbers) == 2 else text[start:]


def _call(name: str, args: list[Any]) -> Any:
    for index, arg in enumerate(args):
        if isinstance(arg, Many):  # through a to-many path: the function of each value
            result = Many()
            for value in arg:
                result.append(_call(name, [*args[:index], value, *args[index + 1 :]]))
            return result
    if name in ("year", "month", "day", "hour", "minute", "second"):
        return getattr(args[0], name) if isinstance(args[0], datetime) else None
    if name in ("round", "floor", "ceiling"):
        value = args[0]
        if not _number(value) or not math.isfinite(value):
            return value if _number(value) else None
        rounding: Callable[[float], int] = {
            "round": lambda v: math.floor(v + 0.5),
            "floor": math.floor,
            "ceiling": math.ceil,
        }[name]
        return rounding(value)
    return _text_call(name, args)


# --- reading a collection ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The entities of one page, and how many there are in all."""

    rows: list[Row]
    total: int

    def more_after(self, options: Options) -> bool:
        """Whether a next page exists."""
        return options.top > 0 and options.skip + options.top < self.total


def read(set_name: str, source: Source, options: Options, world: World) -> Page:
    """The page of a collection the options ask for."""
    if isinstance(source, ObservationSource):
        return _read_observations(source, options, world)
    rows = source
    if options.filter is not None:
        condition = options.filter
        rows = [r for r in rows if evaluate(condition, set_name, r, world) is True]
    rows = _ordered(set_name, rows, options.orderby, world)
    return Page(rows[options.skip : options.skip + options.top], len(rows))


def _all_rows(source: Source, world: World) -> list[Row]:
    if not isinstance(source, ObservationSource):
        return source
    return [
        observation(stream_id, slot)
        for stream_id in source.stream_ids
        for slot in range(world.first_slot, world.last_slot + 1)
    ]


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, Many):
        value = value[0] if value else None
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, value)
    if _number(value):
        return (2, 0.0 if math.isnan(value) else value)
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, datetime):
        return (4, value)
    return (5, json.dumps(value, sort_keys=True, default=str))


def _ordered(set_name: str, rows: list[Row], keys: Iterable[OrderKey], world: World) -> list[Row]:
    ordered = sorted(rows, key=lambda r: int(r["id"]))
    for key in reversed(tuple(keys)):
        expr = key.expr
        ordered.sort(
            key=lambda r: _sort_key(evaluate(expr, set_name, r, world)), reverse=key.descending
        )
    return ordered


def _conjuncts(expr: Expr | None) -> list[Expr]:
    if expr is None:
        return []
    if isinstance(expr, Binary) and expr.op == "and":
        return [*_conjuncts(expr.left), *_conjuncts(expr.right)]
    return [expr]


_MIRROR = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}


def _narrowing(expr: Expr) -> tuple[str, str, Any] | None:
    """(what, op, value) of `phenomenonTime ge <time>` or `Datastream/id eq <n>`, else None."""
    if not isinstance(expr, Binary) or expr.op not in _MIRROR:
        return None
    op, left, right = expr.op, expr.left, expr.right
    if isinstance(left, Literal) and isinstance(right, Path):
        op, left, right = _MIRROR[op], right, left
    if not isinstance(left, Path) or not isinstance(right, Literal):
        return None
    value = right.value
    if left.segments in TIME_PATHS and isinstance(value, datetime) and op != "ne":
        return "time", op, value
    streams = (("Datastream", "id"), ("Datastream", "@iot.id"))
    if left.segments in streams and op == "eq" and _number(value):
        return "stream", op, value
    return None


def _read_observations(source: ObservationSource, options: Options, world: World) -> Page:
    first, last = world.first_slot, world.last_slot
    stream_ids = sorted(source.stream_ids)
    residual: list[Expr] = []
    for part in _conjuncts(options.filter):
        narrowing = _narrowing(part)
        if narrowing is None:
            residual.append(part)
            continue
        what, op, value = narrowing
        if what == "stream":
            stream_ids = [s for s in stream_ids if s == value]
            continue
        floor, ceil = simulation.slot_floor(value), simulation.slot_ceil(value)
        if op in ("ge", "eq"):
            first = max(first, ceil)
        if op in ("le", "eq"):
            last = min(last, floor)
        if op == "gt":
            first = max(first, floor + 1)
        if op == "lt":
            last = min(last, ceil - 1)
    # what depends only on the Datastream (`Datastream/name eq ...`) is asked once per stream
    per_stream = [part for part in residual if _of_stream(part)]
    residual = [part for part in residual if part not in per_stream]
    for part in per_stream:
        stream_ids = [
            s
            for s in stream_ids
            if evaluate(part, "Observations", {"id": 0, "_stream": s}, world) is True
        ]
    condition = _join(residual)
    if condition is not None and _constant(condition):
        if evaluate(condition, "Observations", {}, world) is not True:
            return Page([], 0)
        condition = None
    slots = max(0, last - first + 1)
    order = _simple_order(options.orderby)
    if condition is None and order is not None:
        total = slots * len(stream_ids)
        end = min(total, options.skip + options.top)
        rows = [
            observation(*_position(order, p, stream_ids, first, last, slots))
            for p in range(options.skip, end)
        ]
        return Page(rows, total)
    rows = [observation(s, slot) for s in stream_ids for slot in range(first, last + 1)]
    if condition is not None:
        rows = [r for r in rows if evaluate(condition, "Observations", r, world) is True]
    rows = _ordered("Observations", rows, options.orderby, world)
    return Page(rows[options.skip : options.skip + options.top], len(rows))


def _join(parts: list[Expr]) -> Expr | None:
    joined: Expr | None = None
    for part in parts:
        joined = part if joined is None else Binary("and", joined, part)
    return joined


def _of_stream(expr: Expr) -> bool:
    """Whether an expression reads nothing of an observation but its Datastream (or place)."""
    if isinstance(expr, Path):
        return len(expr.segments) > 1 and expr.segments[0] in ("Datastream", "FeatureOfInterest")
    if isinstance(expr, Call):
        return all(_of_stream(a) or _constant(a) for a in expr.args)
    if isinstance(expr, Binary):
        return all(_of_stream(e) or _constant(e) for e in (expr.left, expr.right))
    if isinstance(expr, Not):
        return _of_stream(expr.operand)
    return False


def _constant(expr: Expr) -> bool:
    if isinstance(expr, Path):
        return False
    if isinstance(expr, Call):
        return all(_constant(a) for a in expr.args)
    if isinstance(expr, Binary):
        return _constant(expr.left) and _constant(expr.right)
    if isinstance(expr, Not):
        return _constant(expr.operand)
    return True


def _simple_order(keys: tuple[OrderKey, ...]) -> tuple[str, bool] | None:
    """("id" | "time", descending) when the order can be computed without the values."""
    paths = [k.expr.segments if isinstance(k.expr, Path) else () for k in keys]
    if not keys:
        return "id", False
    if len(keys) == 1 and paths[0] in ID_PATHS:
        return "id", keys[0].descending
    by_time = paths[0] in TIME_PATHS
    then_id = len(keys) == 1 or (len(keys) == 2 and paths[1] in ID_PATHS)
    if by_time and then_id and (len(keys) == 1 or not keys[1].descending):
        return "time", keys[0].descending
    return None


def _position(
    order: tuple[str, bool], index: int, streams: list[int], first: int, last: int, slots: int
) -> tuple[int, int]:
    """(stream id, slot) of the `index`th observation in the order."""
    kind, descending = order
    if kind == "id":
        stream = streams[-1 - index // slots] if descending else streams[index // slots]
        return stream, (last - index % slots) if descending else (first + index % slots)
    # by time, then by id (the streams in id order within one slot)
    slot = last - index // len(streams) if descending else first + index // len(streams)
    return streams[index % len(streams)], slot


# --- rendering --------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A property value as JSON (times in UTC with `Z`)."""
    return iso(value) if isinstance(value, datetime) else value


def render(set_name: str, row: Row, options: Options, world: World, base: str) -> dict[str, Any]:
    """An entity with its self link, navigation links and expansions, as `$select` says."""
    entity_set = ENTITY_SETS[set_name]
    select = options.select
    self_link = f"{base}/{set_name}({row['id']})"
    body: dict[str, Any] = {}
    if select is None or any(n in select for n in ID_NAMES):
        body["@iot.id"] = row["id"]
    if select is None or "@iot.selfLink" in select:
        body["@iot.selfLink"] = self_link
    for name in entity_set.properties:
        if (select is None or name in select) and row.get(name) is not None:
            body[name] = json_value(row[name])
    expanded = {e.name: e.options for e in options.expand}
    for name, link in entity_set.links.items():
        if name in expanded:
            inner = expanded[name]
            if link.many:
                page = read(link.target, world.many(set_name, row, name), inner, world)
                body[name] = [render(link.target, r, inner, world, base) for r in page.rows]
                if inner.count:
                    body[f"{name}@iot.count"] = page.total
                if page.more_after(inner):
                    body[f"{name}@iot.nextLink"] = next_link(f"{self_link}/{name}", inner)
            else:
                target = world.one(set_name, row, name)
                if target is not None:
                    body[name] = render(link.target, target, inner, world, base)
        elif select is None or name in select:
            body[f"{name}@iot.navigationLink"] = f"{self_link}/{name}"
    return body


def next_link(url: str, options: Options) -> str:
    """The link to the page after this one, with all other options as they were given."""
    given = {k: v for k, v in options.raw if k not in ("$top", "$skip")}
    given["$top"] = str(options.top)
    given["$skip"] = str(options.skip + options.top)
    return f"{url}?{urlencode(given)}"
