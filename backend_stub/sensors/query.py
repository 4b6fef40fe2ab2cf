"""SensorThings query options, parsed into small typed objects (no dependencies).

`$filter` (comparisons eq ne gt ge lt le, and/or/not, parentheses, arithmetic add sub mul div
mod, literals: numbers, 'strings', ISO 8601 times, null, true, false; paths such as
`properties/kind` or `Thing/name`; functions such as substringof and startswith), `$expand`
(comma-separated, slash paths, nested options in parentheses separated by `;`), `$orderby`
(several keys, asc/desc), `$top`, `$skip`, `$select` and `$count`. Anything malformed raises
`QueryError`, which the router answers with 400 as FROST-Server does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

DEFAULT_TOP = 100
MAX_TOP = 1000  # a larger $top is served as this many, as FROST does
MAX_DEPTH = 8  # of nested $expand options
MAX_NESTING = 40  # of parentheses in an expression
MAX_TOKENS = 400  # of one expression: keeps the trees shallow enough to walk recursively
OPTION_NAMES = ("$filter", "$expand", "$orderby", "$top", "$skip", "$select", "$count")
COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
ARITHMETIC = ("add", "sub", "mul", "div", "mod")
KEYWORDS = frozenset({"and", "or", "not", *COMPARISONS, *ARITHMETIC})
# function name -> the numbers of arguments it takes
FUNCTIONS: dict[str, tuple[int, ...]] = {
    "substringof": (2,),
    "contains": (2,),
    "startswith": (2,),
    "endswith": (2,),
    "length": (1,),
    "indexof": (2,),
    "substring": (2, 3),
    "tolower": (1,),
    "toupper": (1,),
    "trim": (1,),
    "concat": (2,),
    "year": (1,),
    "month": (1,),
    "day": (1,),
    "hour": (1,),
    "minute": (1,),
    "second": (1,),
    "round": (1,),
    "floor": (1,),
    "ceiling": (1,),
}


class QueryError(ValueError):
    """A query option the server cannot read (answered 400)."""


@dataclass(frozen=True)
class Literal:
    """A number, string, time, boolean or null."""

    value: Any


@dataclass(frozen=True)
class Path:
    """A property, maybe through navigation or into JSON: `Thing/properties/kind`."""

    segments: tuple[str, ...]


@dataclass(frozen=True)
class Call:
    """A function applied to its arguments."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Binary:
    """`left op right`: a comparison, `and`/`or`, or arithmetic."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not:
    """`not operand`."""

    operand: Expr


Expr = Literal | Path | Call | Binary | Not


@dataclass(frozen=True)
class OrderKey:
    """One key of `$orderby`."""

    expr: Expr
    descending: bool = False


@dataclass(frozen=True)
class Options:
    """The query options of a request (or of one `$expand`ed navigation property)."""

    filter: Expr | None = None
    expand: tuple[Expand, ...] = ()
    orderby: tuple[OrderKey, ...] = ()
    top: int = DEFAULT_TOP
    skip: int = 0
    select: tuple[str, ...] | None = None
    count: bool = False
    raw: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # as given, for links


@dataclass(frozen=True)
class Expand:
    """A navigation property to expand, with its own options."""

    name: str
    options: Options


# --- the options of a request -----------------------------------------------------------------


def parse_options(
    pairs: Iterable[tuple[str, str]],
    allowed: Iterable[str] = OPTION_NAMES,
    depth: int = 0,
) -> Options:
    """The options among the query parameters (those without `$` are not options: ignored)."""
    allowed = tuple(allowed)
    given: dict[str, str] = {}
    for name, text in pairs:
        if not name.startswith("$"):
            continue
        if name not in OPTION_NAMES:
            raise QueryError(f"Unknown query option {name!r}.")
        if name not in allowed:
            raise QueryError(f"The query option {name} is not allowed here.")
        if name in given:
            raise QueryError(f"The query option {name} is given more than once.")
        if text.strip():  # an empty option is no option (`$filter=` filters nothing)
            given[name] = text
    options = Options(raw=tuple(given.items()))
    for name, text in given.items():
        if name == "$filter":
            options = replace(options, filter=parse_filter(text))
        elif name == "$expand":
            options = replace(options, expand=parse_expand(text, depth))
        elif name == "$orderby":
            options = replace(options, orderby=parse_orderby(text))
        elif name == "$top":
            options = replace(options, top=min(_whole(name, text), MAX_TOP))
        elif name == "$skip":
            options = replace(options, skip=_whole(name, text))
        elif name == "$select":
            options = replace(options, select=parse_select(text))
        else:
            options = replace(options, count=_boolean(name, text))
    return options


def _whole(name: str, text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,12}", text.strip()):
        raise QueryError(f"{name} must be a whole number, not {text[:40]!r}.")
    return int(text.strip())


def _boolean(name: str, text: str) -> bool:
    if text.strip().lower() not in ("true", "false"):
        raise QueryError(f"{name} must be true or false, not {text[:40]!r}.")
    return text.strip().lower() == "true"


def split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at `separator`s outside parentheses and quotes."""
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted  # a doubled quote toggles twice: still inside
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("A closing parenthesis without an opening one.")
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if quoted:
        raise QueryError("A string is not closed.")
    if depth:
        raise QueryError("A parenthesis is not closed.")
    parts.append(text[start:])
    return parts


NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_EXPAND_ITEM = re.compile(rf"\s*({NAME}(?:/{NAME})*)\s*(?:\((.*)\))?\s*", re.DOTALL)


def parse_expand(text: str, depth: int = 0) -> tuple[Expand, ...]:
    """`Datastreams($select=name;$expand=ObservedProperty),Locations` and `A/B` paths."""
    if depth >= MAX_DEPTH:
        raise QueryError("$expand is nested too deeply.")
    merged: dict[str, Expand] = {}
    for item in split_top_level(text, ","):
        match = _EXPAND_ITEM.fullmatch(item)
        if match is None:
            raise QueryError(f"Cannot read $expand item {item.strip()[:60]!r}.")
        names = match[1].split("/")
        inner = match[2]
        options = Options()
        if inner is not None and inner.strip():
            pairs = []
            for part in split_top_level(inner, ";"):
                name, equals, value = part.strip().partition("=")
                if not equals or not name.startswith("$"):
                    raise QueryError(f"Cannot read the option {part.strip()[:60]!r} in $expand.")
                pairs.append((name.strip(), value))
            options = parse_options(pairs, depth=depth + 1)
        node = Expand(names[-1], options)
        for name in reversed(names[:-1]):
            node = Expand(name, Options(expand=(node,)))
        earlier = merged.get(node.name)
        merged[node.name] = node if earlier is None else _merge(earlier, node)
    return tuple(merged.values())


def _merge(first: Expand, second: Expand) -> Expand:
    """`Datastreams($select=name),Datastreams/Thing`: one expansion with both."""
    nested: dict[str, Expand] = {e.name: e for e in first.options.expand}
    for extra in second.options.expand:
        nested[extra.name] = _merge(nested[extra.name], extra) if extra.name in nested else extra
    # the options given in parentheses win over those of a bare path
    base = first.options if first.options.raw or not second.options.raw else second.options
    return Expand(first.name, replace(base, expand=tuple(nested.values())))


def parse_select(text: str) -> tuple[str, ...]:
    """`id,name,properties`: the properties to answer with (`id` is `@iot.id`)."""
    names: list[str] = []
    for part in text.split(","):
        name = part.strip()
        if not re.fullmatch(r"@iot\.id|@iot\.selfLink|" + NAME, name):
            raise QueryError(f"Cannot select {name[:60]!r}.")
        if name not in names:
            names.append(name)
    return tuple(names)


def parse_orderby(text: str) -> tuple[OrderKey, ...]:
    """`phenomenonTime desc, result`: keys in order, each asc (default) or desc."""
    keys: list[OrderKey] = []
    for part in split_top_level(text, ","):
        parser = _Parser(part)
        expr = parser.expression()
        direction = parser.keyword("asc", "desc")
        parser.end()
        keys.append(OrderKey(expr, direction == "desc"))
    return tuple(keys)


def parse_filter(text: str) -> Expr:
    """The expression of `$filter`."""
    parser = _Parser(text)
    expr = parser.expression()
    parser.end()
    return expr


# --- expressions ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    |(?P<string>'(?:[^']|'')*')
    |(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2}
        (?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)
    |(?P<number>-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    |(?P<name>@iot\.id|[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>[(),/])
    """,
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise QueryError(f"Cannot read {text[position : position + 20]!r}.")
        kind = match.lastgroup or ""
        if kind != "space":
            found.append((kind, match.group()))
        position = match.end()
    return found


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; without an offset it is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise QueryError(f"Not a time: {text!r}.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class _Parser:
    """Recursive descent over the tokens of one expression."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        if len(self.tokens) > MAX_TOKENS:
            raise QueryError(f"The expression is too long (more than {MAX_TOKENS} parts).")
        self.position = 0
        self.nesting = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise QueryError("The expression ends too early.")
        self.position += 1
        return token

    def punct(self, char: str) -> bool:
        if self.peek() == ("punct", char):
            self.position += 1
            return True
        return False

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] == "name" and token[1].lower() in words:
            self.position += 1
            return token[1].lower()
        return None

    def end(self) -> None:
        token = self.peek()
        if token is not None:
            raise QueryError(f"Unexpected {token[1]!r}.")

    def expression(self) -> Expr:
        left = self.conjunction()
        while self.keyword("or"):
            left = Binary("or", left, self.conjunction())
        return left

    def conjunction(self) -> Expr:
        left = self.negation()
        while self.keyword("and"):
            left = Binary("and", left, self.negation())
        return left

    def negation(self) -> Expr:
        if self.keyword("not"):
            return Not(self.negation())
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.additive()
        op = self.keyword(*COMPARISONS)
        return Binary(op, left, self.additive()) if op else left

    def additive(self) -> Expr:
        left = self.multiplicative()
        while op := self.keyword("add", "sub"):
            left = Binary(op, left, self.multiplicative())
        return left

    def multiplicative(self) -> Expr:
        left = self.primary()
        while op := self.keyword("mul", "div", "mod"):
            left = Binary(op, left, self.primary())
        return left

    def primary(self) -> Expr:
        kind, text = self.take()
        if (kind, text) == ("punct", "("):
            self.nesting += 1
            if self.nesting > MAX_NESTING:
                raise QueryError("Too many parentheses.")
            inner = self.expression()
            if not self.punct(")"):
                raise QueryError("A parenthesis is not closed.")
            self.nesting -= 1
            return inner
        if kind == "string":
            return Literal(text[1:-1].replace("''", "'"))
        if kind == "time":
            return Literal(parse_time(text))
        if kind == "number":
            try:
                return Literal(int(text) if re.fullmatch(r"-?[0-9]+", text) else float(text))
            except (ValueError, OverflowError):
                raise QueryError(f"Not a number: {text[:40]!r}.") from None
        if kind != "name":
            raise QueryError(f"Unexpected {text!r}.")
        word = text.lower()
        if word in ("null", "true", "false"):
            return Literal(None if word == "null" else word == "true")
        if word in KEYWORDS:
            raise QueryError(f"Unexpected {text!r}.")
        if self.punct("("):
            return self.call(word)
        segments = [text]
        while self.punct("/"):
            kind, text = self.take()
            if kind != "name" or text.lower() in KEYWORDS:
                raise QueryError(f"Unexpected {text!r} in a path.")
            segments.append(text)
        return Path(tuple(segments))

    def call(self, name: str) -> Expr:
        if name not in FUNCTIONS:
            raise QueryError(f"Unknown function {name!r}.")
        args: list[Expr] = []
        if not self.punct(")"):
            args.append(self.expression())
            while self.punct(","):
                args.append(self.expression())
            if not self.punct(")"):
                raise QueryError(f"The arguments of {name} are not closed.")
        if len(args) not in FUNCTIONS[name]:
            raise QueryError(f"{name} takes {' or '.join(map(str, FUNCTIONS[name]))} arguments.")
        return Call(name, tuple(args))
