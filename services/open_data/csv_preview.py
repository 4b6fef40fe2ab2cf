"""A first look at a table: the first rows of a CSV (streamed, never whole) or a datastore page.

Both end up as one `Table` (columns with their kind, rows of typed cells), so a screen and the
chart choice handle one shape. Cities publish CSV in every dialect: UTF-8 with or without BOM
or Windows-1252, `;` with decimal commas or `,` with decimal points, tabs; all are read here.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import httpx

from services.errors import BadData, Offline, TimedOut
from services.http import error_for_status
from services.open_data.ckan import NUMERIC_TYPES, DatastorePage

Kind = Literal["number", "date", "text"]

DEFAULT_ROWS = 200
MAX_BYTES = 4_000_000  # a preview never holds more than this, even without line breaks
DELIMITERS = (";", ",", "\t", "|")
DATE_TYPES = {"date", "timestamp", "timestamptz", "datetime", "time"}

GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
ENGLISH_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


@dataclass(frozen=True)
class Column:
    """One column: its heading and what its cells hold."""

    name: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """The first rows of a table; cells are float, date, datetime, str or None (empty)."""

    columns: list[Column] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False  # there are more rows than shown
    total: int | None = None  # all rows, when the source says (a datastore does)
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def is_empty(self) -> bool:
        """Whether there is nothing to show."""
        return not self.columns or not self.rows


async def preview_csv(
    url: str,
    *,
    http: httpx.AsyncClient,
    max_rows: int = DEFAULT_ROWS,
    max_bytes: int = MAX_BYTES,
) -> Table:
    """The first `max_rows` rows of the CSV at `url`; the download stops once they are in."""
    wanted_lines = max_rows + 2  # the heading, the rows, and one more to know there is more
    chunks: list[bytes] = []
    size = 0
    lines = 0
    complete = True
    try:
        async with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise error_for_status(response)
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                lines += chunk.count(b"\n")
                if lines >= wanted_lines or size >= max_bytes:
                    complete = False  # leaving the block closes the connection mid-body
                    break
    except httpx.TimeoutException as exc:
        raise TimedOut(f"{url} did not answer in time") from exc
    except httpx.TransportError as exc:
        raise Offline(f"{url} is not reachable: {exc.__class__.__name__}") from exc
    return read_csv(b"".join(chunks)[:max_bytes], max_rows=max_rows, complete=complete)


def read_csv(data: bytes, *, max_rows: int = DEFAULT_ROWS, complete: bool = True) -> Table:
    """Parse the start of a CSV file; `complete` says whether `data` is the whole file."""
    if not complete:
        # the last line may be cut in the middle (of a row, or of a UTF-8 character)
        cut = data.rfind(b"\n")
        data = data[: cut + 1] if cut >= 0 else data
    text, encoding = decode(data)
    if not text.strip():
        return Table(encoding=encoding)
    if "\x00" in text[:4096] or _mostly_control(text[:4096]):
        raise BadData("the file is not a text table")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        heading = next(reader)
        raw: list[list[str]] = []
        truncated = not complete
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(raw) == max_rows:
                truncated = True
                break
            raw.append(row)
    except csv.Error as exc:
        raise BadData(f"the CSV cannot be read: {exc}") from exc
    names = _names(heading, max((len(row) for row in raw), default=len(heading)))
    width = len(names)
    raw = [(row + [""] * width)[:width] for row in raw]
    decimal_comma = delimiter != ","
    columns, rows = typed_columns(names, raw, decimal_comma=decimal_comma)
    return Table(
        columns=columns, rows=rows, truncated=truncated, encoding=encoding, delimiter=delimiter
    )


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined: Latin-1 takes every byte
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The separator whose field count is the same on most of the first lines, and largest."""
    sample = text[:65536]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        counts: Counter[int] = Counter()
        try:
            for number, row in enumerate(reader):
                if number >= 30:
                    break
                if row:
                    counts[len(row)] += 1
        except csv.Error:
            continue
        if not counts:
            continue
        width, agreeing = counts.most_common(1)[0]
        if width < 2:
            continue
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_number(text: str, *, decimal_comma: bool) -> float | None:
    """ "1.234,5" (decimal comma) or "1,234.5" as a number; None when it is no number."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        if GERMAN_NUMBER.match(value):
            return float(value.replace(".", "").replace(",", "."))
        return None
    if ENGLISH_NUMBER.match(value):
        return float(value.replace(",", ""))
    return None


def parse_date(text: str) -> date | datetime | None:
    """ISO (2026-11-30, 2026-11) or German (30.11.2026) dates, with an optional time."""
    value = text.strip()
    try:
        if match := GERMAN_DATE.match(value):
            day, month, year, hour, minute, second = match.groups()
            if hour is None:
                return date(int(year), int(month), int(day))
            return datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
            )
        if match := ISO_DATE.match(value):
            year, month, day, hour, minute, second = match.groups()
            if hour is None:
                if len(value) != len(match.group(0)):
                    return None
                return date(int(year), int(month), int(day or 1))
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return None


def typed_columns(
    names: list[str], raw: list[list[str]], *, decimal_comma: bool
) -> tuple[list[Column], list[list[Any]]]:
    """Infer each column's kind from its cells and convert the cells to it."""
    columns: list[Column] = []
    converted: list[list[Any]] = [[None] * len(names) for _ in raw]
    for index, name in enumerate(names):
        cells = [row[index] for row in raw]
        kind, values = infer_column(cells, decimal_comma=decimal_comma)
        columns.append(Column(name=name, kind=kind))
        for position, value in enumerate(values):
            converted[position][index] = value
    return columns, converted


def infer_column(cells: list[str], *, decimal_comma: bool) -> tuple[Kind, list[Any]]:
    """The kind of a column (number, date, text) and its cells converted to it."""
    filled = [cell for cell in cells if cell.strip()]
    empty_as_none: list[Any] = [cell if cell.strip() else None for cell in cells]
    if not filled:
        return "text", empty_as_none
    # the file's convention first; a column in the other one is still read
    for comma in (decimal_comma, not decimal_comma):
        numbers = [
            parse_number(cell, decimal_comma=comma) if cell.strip() else None for cell in cells
        ]
        if all(
            number is not None for number, cell in zip(numbers, cells, strict=True) if cell.strip()
        ):
            return "number", numbers
    dates = [parse_date(cell) for cell in filled]
    if all(moment is not None for moment in dates):
        return "date", _convert(cells, parse_date)
    return "text", [cell.strip() if cell.strip() else None for cell in cells]


def table_from_datastore(page: DatastorePage) -> Table:
    """A datastore page as a `Table` (its internal `_id` column left out)."""
    fields = [f for f in page.fields if f.id != "_id"]
    columns: list[Column] = []
    matrix: list[list[Any]] = [[None] * len(fields) for _ in page.records]
    for index, column in enumerate(fields):
        cells = [record.get(column.id) for record in page.records]
        kind, values = _datastore_column(column.type.lower(), cells)
        columns.append(Column(name=column.id, kind=kind))
        for position, value in enumerate(values):
            matrix[position][index] = value
    shown = len(page.records)
    return Table(columns=columns, rows=matrix, truncated=shown < page.total, total=page.total)


def _datastore_column(kind: str, cells: list[Any]) -> tuple[Kind, list[Any]]:
    if kind in NUMERIC_TYPES and all(
        isinstance(cell, int | float) and not isinstance(cell, bool) for cell in cells if cell
    ):
        return "number", [None if cell is None else float(cell) for cell in cells]
    # text columns (and DKAN's strings) get the same reading as a CSV file's cells
    text = ["" if cell is None else str(cell) for cell in cells]
    return infer_column(text, decimal_comma=kind not in NUMERIC_TYPES and _has_comma(text))


def _has_comma(cells: Iterable[str]) -> bool:
    return any("," in cell for cell in cells)


def _convert(cells: list[str], parse: Any) -> list[Any]:
    return [parse(cell) if cell.strip() else None for cell in cells]


def _names(heading: list[str], width: int) -> list[str]:
    """Headings, with a name for any column that has none and no name twice."""
    names: list[str] = []
    for index in range(max(width, len(heading))):
        name = heading[index].strip() if index < len(heading) else ""
        name = name or str(index + 1)  # a neutral name; the screen may say "column 3"
        while name in names:
            name = f"{name} ({index + 1})"
        names.append(name)
    return names


def _mostly_control(sample: str) -> bool:
    control = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t")
    replaced = sample.count("\ufffd")
    return (control + replaced) > len(sample) * 0.1
