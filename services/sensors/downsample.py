"""Time series of a sensor made small enough for a chart, and their minimum, maximum and mean.

A series is two plain lists of floats: times (UTC POSIX seconds, increasing) and values, so a
hundred thousand observations cost two lists and no object per point. Downsampling is LTTB
(Largest-Triangle-Three-Buckets, Steinarsson 2013): from each bucket the point that spans the
largest triangle with the point kept before it and the mean of the next bucket, which keeps
the shape and its peaks; the global minimum and maximum are kept in any case.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

MIN_POINTS = 4  # first, last, minimum and maximum
CHART_POINTS = 500  # enough for a phone's chart, a few per pixel column
WINDOWS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}


class Series(Protocol):
    """Anything with `times` (UTC POSIX seconds, increasing) and `values` of the same length."""

    @property
    def times(self) -> Sequence[float]: ...

    @property
    def values(self) -> Sequence[float]: ...


@dataclass
class Points:
    """A series as two plain lists."""

    times: list[float] = field(default_factory=list)
    values: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """Minimum, maximum and mean of a series, and when the extremes were measured."""

    count: int
    minimum: float
    minimum_at: datetime
    maximum: float
    maximum_at: datetime
    mean: float
    first_at: datetime
    last_at: datetime


def lttb_indices(xs: Sequence[float], ys: Sequence[float], n: int) -> list[int]:
    """The positions LTTB keeps to draw `xs`, `ys` with at most `n` points (n ≥ 2)."""
    length = len(xs)
    if len(ys) != length:
        raise ValueError("times and values must have the same length")
    if n >= length:
        return list(range(length))
    if n < 2:
        raise ValueError("LTTB keeps at least the first and the last point")
    if n == 2:
        return [0, length - 1]
    kept = [0]
    every = (length - 2) / (n - 2)
    a = 0
    for bucket in range(n - 2):
        # the mean of the next bucket (the last point for the last bucket)
        next_start = int((bucket + 1) * every) + 1
        next_end = min(int((bucket + 2) * every) + 1, length)
        if next_start >= next_end:
            next_start, next_end = length - 1, length
        span = next_end - next_start
        mean_x = sum(xs[next_start:next_end]) / span
        mean_y = sum(ys[next_start:next_end]) / span
        # twice the triangle's area for a point (x, y) is |p*y + q*x + r|
        ax, ay = xs[a], ys[a]
        p = ax - mean_x
        q = mean_y - ay
        r = -p * ay - q * ax
        start = int(bucket * every) + 1
        end = int((bucket + 1) * every) + 1
        best = start
        best_area = -1.0
        for j in range(start, end):
            area = p * ys[j] + q * xs[j] + r
            if area < 0:
                area = -area
            if area > best_area:
                best_area = area
                best = j
        kept.append(best)
        a = best
    kept.append(length - 1)
    return kept


def downsample(series: Series, n: int = CHART_POINTS) -> Points:
    """At most `n` points (n ≥ 4) that draw like the series: LTTB plus its minimum and maximum."""
    if n < MIN_POINTS:
        raise ValueError(f"keep at least {MIN_POINTS} points")
    xs, ys = series.times, series.values
    if len(xs) != len(ys):
        raise ValueError("times and values must have the same length")
    if len(xs) <= n:
        return Points(list(xs), list(ys))
    lowest = ys.index(min(ys))
    highest = ys.index(max(ys))
    kept = lttb_indices(xs, ys, n - 2)  # room for the extremes, if LTTB missed them
    chosen = sorted({*kept, lowest, highest})
    return Points([xs[i] for i in chosen], [ys[i] for i in chosen])


def window(series: Series, now: datetime, span: timedelta) -> Points:
    """The part of the series in the `span` up to `now` (both ends included)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    end = now.timestamp()
    start = (now - span).timestamp()
    xs = series.times
    low = bisect_left(xs, start)
    high = bisect_right(xs, end)
    return Points(list(xs[low:high]), list(series.values[low:high]))


def summary(series: Series) -> Summary | None:
    """Minimum, maximum (with their times) and mean of a series; None when it is empty."""
    xs, ys = series.times, series.values
    if not ys:
        return None
    lowest = ys.index(min(ys))
    highest = ys.index(max(ys))
    return Summary(
        count=len(ys),
        minimum=ys[lowest],
        minimum_at=_utc(xs[lowest]),
        maximum=ys[highest],
        maximum_at=_utc(xs[highest]),
        mean=sum(ys) / len(ys),
        first_at=_utc(xs[0]),
        last_at=_utc(xs[-1]),
    )


def summaries(series: Series, now: datetime) -> dict[str, Summary | None]:
    """The summary of the last 24 hours, 7 days and 30 days."""
    return {name: summary(window(series, now, span)) for name, span in WINDOWS.items()}


def _utc(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)
