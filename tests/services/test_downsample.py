"""Downsampling a sensor's series for a chart (LTTB plus the extremes) and its summaries."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.sensors.downsample import (
    Points,
    downsample,
    lttb_indices,
    summaries,
    summary,
    window,
)

START = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def series(draw: st.DrawFn) -> Points:
    ys = draw(st.lists(values, min_size=1, max_size=400))
    steps = draw(
        st.lists(st.floats(min_value=1.0, max_value=3600.0), min_size=len(ys), max_size=len(ys))
    )
    xs: list[float] = []
    at = START
    for step in steps:
        at += math.floor(step)  # whole seconds: strictly increasing without rounding doubts
        xs.append(at)
    return Points(xs, ys)


@settings(max_examples=200, deadline=None)
@given(series(), st.integers(min_value=4, max_value=120))
def test_downsampled_series_keeps_its_shape(points: Points, n: int) -> None:
    small = downsample(points, n)
    assert len(small.times) == len(small.values) <= n
    assert small.times[0] == points.times[0] and small.times[-1] == points.times[-1]
    assert small.values[0] == points.values[0] and small.values[-1] == points.values[-1]
    assert min(small.values) == min(points.values)
    assert max(small.values) == max(points.values)
    assert all(a < b for a, b in zip(small.times, small.times[1:], strict=False))
    original = set(zip(points.times, points.values, strict=True))
    assert set(zip(small.times, small.values, strict=True)) <= original


def test_a_short_series_is_kept_whole() -> None:
    points = Points([1.0, 2.0, 3.0], [5.0, 4.0, 6.0])
    assert downsample(points, 10) == points


def test_a_lone_peak_survives() -> None:
    xs = [float(i) for i in range(10_000)]
    ys = [0.0] * 10_000
    ys[4321] = 99.0
    ys[777] = -5.0
    small = downsample(Points(xs, ys), 50)
    assert 4321.0 in small.times and 777.0 in small.times and len(small.times) <= 50


def test_lttb_picks_the_largest_triangle() -> None:
    xs = [0.0, 1.0, 2.0, 3.0, 4.0]
    ys = [0.0, 0.0, 5.0, 0.0, 0.0]
    assert lttb_indices(xs, ys, 3) == [0, 2, 4]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        downsample(Points([1.0, 2.0], [1.0]), 10)
    with pytest.raises(ValueError):
        downsample(Points([1.0], [1.0]), 3)


def test_summary_and_windows() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    hours = list(range(24 * 40, -1, -1))  # 40 days up to now, hourly
    xs = [(now - timedelta(hours=h)).timestamp() for h in hours]
    ys = [float(h) for h in hours]  # the value is how many hours ago
    points = Points(xs, ys)
    day = summary(window(points, now, timedelta(hours=24)))
    assert day is not None and day.count == 25
    assert (day.minimum, day.maximum, day.mean) == (0.0, 24.0, 12.0)
    assert day.minimum_at == now and day.maximum_at == now - timedelta(hours=24)
    assert day.first_at == now - timedelta(hours=24) and day.last_at == now
    found = summaries(points, now)
    assert set(found) == {"24h", "7d", "30d"}
    month = found["30d"]
    assert month is not None and month.maximum == 720.0 and month.count == 721
    assert summary(Points()) is None
    assert summaries(Points(), now)["7d"] is None
    with pytest.raises(ValueError):
        window(points, datetime(2026, 11, 30), timedelta(days=1))
