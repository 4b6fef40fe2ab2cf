"""Which chart suits a table: numbers over time (line) or over categories (bar), or none."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from services.open_data.csv_preview import Column, Table

ChartKind = Literal["line", "bar", "none"]
Reason = Literal["", "no_rows", "no_numbers", "no_axis", "too_many_categories"]

MAX_SERIES = 4  # more lines than this are not readable on a phone
MAX_CATEGORIES = 30
ID_NAMES = re.compile(r"^(_?id|nr\.?|lfd\.? ?nr\.?|index|objectid|fid)$", re.IGNORECASE)
YEAR_NAMES = re.compile(r"^(jahr|year|berichtsjahr|stichjahr)$", re.IGNORECASE)


@dataclass(frozen=True)
class ChartChoice:
    """The chart for a table: its kind, the x column and the numeric series drawn over it."""

    kind: ChartKind
    x: str | None = None
    series: list[str] = field(default_factory=list)
    reason: Reason = ""  # why there is no chart (a code; the screen words it)
    # a long table ("Jahr; Fahrzeugart; Anzahl"): one line per value of `split`, of `value`
    split: str | None = None
    value: str | None = None

    @property
    def drawable(self) -> bool:
        """Whether there is a chart to draw."""
        return self.kind != "none"


def choose_chart(table: Table) -> ChartChoice:
    """Pick the chart for `table`: dates or years as x → line; categories as x → bar."""
    if len(table.rows) < 1:
        return ChartChoice("none", reason="no_rows")
    numbers = [c for c in table.columns if c.kind == "number" and not _is_identifier(table, c)]
    if not numbers:
        return ChartChoice("none", reason="no_numbers")
    x = _time_axis(table, numbers)
    if x is not None:
        long = _long_format(table, x, numbers)
        if long is not None:
            return long
        series = [c.name for c in numbers if c.name != x.name][:MAX_SERIES]
        if series and len(table.rows) >= 2:
            return ChartChoice("line", x=x.name, series=series)
    category = _category_axis(table)
    if category is None:
        return ChartChoice("none", reason="no_axis")
    if len(_distinct(table, category)) > MAX_CATEGORIES:
        return ChartChoice("none", reason="too_many_categories")
    series = [c.name for c in numbers if c.name != category.name][:MAX_SERIES]
    return ChartChoice("bar", x=category.name, series=series)


def chart_points(table: Table, choice: ChartChoice) -> list[tuple[Any, list[float | None]]]:
    """(x, [value per series]) for each row with an x; a line chart's points in x order."""
    if not choice.drawable or choice.x is None:
        return []
    names = [c.name for c in table.columns]
    if choice.split is not None and choice.value is not None:
        return _pivoted(table, choice, names)
    x_index = names.index(choice.x)
    indexes = [names.index(name) for name in choice.series]
    points = [
        (row[x_index], [_number(row[i]) for i in indexes])
        for row in table.rows
        if row[x_index] is not None
    ]
    if choice.kind == "line":
        points.sort(key=lambda point: point[0])
    return points


def _long_format(table: Table, x: Column, numbers: list[Column]) -> ChartChoice | None:
    """Several rows per time, told apart by a category: a line per category (the largest)."""
    x_index = table.columns.index(x)
    times = [row[x_index] for row in table.rows if row[x_index] is not None]
    if len(set(times)) == len(times):
        return None
    split = _category_axis(table)
    values = [c for c in numbers if c.name != x.name]
    if split is None or not values:
        return None
    split_index = table.columns.index(split)
    value_index = table.columns.index(values[0])
    totals: dict[Any, float] = {}
    for row in table.rows:
        number = _number(row[value_index])
        if row[split_index] is not None and number is not None:
            totals[row[split_index]] = totals.get(row[split_index], 0.0) + abs(number)
    if len(totals) < 2:
        return None
    largest = sorted(totals, key=lambda name: (-totals[name], str(name)))[:MAX_SERIES]
    return ChartChoice(
        "line", x=x.name, series=[str(v) for v in largest], split=split.name, value=values[0].name
    )


def _pivoted(
    table: Table, choice: ChartChoice, names: list[str]
) -> list[tuple[Any, list[float | None]]]:
    x_index = names.index(choice.x or "")
    split_index = names.index(choice.split or "")
    value_index = names.index(choice.value or "")
    by_time: dict[Any, list[float | None]] = {}
    for row in table.rows:
        if row[x_index] is None or str(row[split_index]) not in choice.series:
            continue
        values = by_time.setdefault(row[x_index], [None] * len(choice.series))
        number = _number(row[value_index])
        if number is not None:
            position = choice.series.index(str(row[split_index]))
            values[position] = (values[position] or 0.0) + number
    return sorted(by_time.items(), key=lambda point: point[0])


def is_year_column(table: Table, column: Column) -> bool:
    """A column of whole years ("Jahr": 2019, 2020 …), written without thousands separator."""
    values = _values(table, column)
    whole = all(float(v).is_integer() and 1800 <= v <= 2200 for v in values)
    return bool(values) and whole and bool(YEAR_NAMES.match(column.name.strip()))


def _time_axis(table: Table, numbers: list[Column]) -> Column | None:
    dates = [c for c in table.columns if c.kind == "date"]
    if dates:
        return dates[0]
    for column in numbers:  # a column of years ("Jahr": 2019, 2020, ...) is a time axis too
        values = _values(table, column)
        whole_years = all(float(v).is_integer() and 1800 <= v <= 2200 for v in values)
        if values and whole_years and (YEAR_NAMES.match(column.name.strip()) or len(numbers) > 1):
            return column
    return None


def _category_axis(table: Table) -> Column | None:
    return next((c for c in table.columns if c.kind == "text"), None)


def _is_identifier(table: Table, column: Column) -> bool:
    """A running number or id column carries no quantity worth drawing."""
    if ID_NAMES.match(column.name.strip()):
        return True
    values = _values(table, column)
    return len(values) > 2 and values == [float(n) for n in range(1, len(values) + 1)]


def _values(table: Table, column: Column) -> list[float]:
    index = table.columns.index(column)
    return [float(row[index]) for row in table.rows if isinstance(row[index], int | float)]


def _distinct(table: Table, column: Column) -> set[Any]:
    index = table.columns.index(column)
    return {row[index] for row in table.rows if row[index] is not None}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
