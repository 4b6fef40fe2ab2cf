"""Benchmark: a sensor's 100,000 observations made into a 500-point chart series, against a plain
pass over the same values.

The chart series is LTTB plus the global minimum and maximum (services/sensors/downsample.py);
the baseline, measured in the same run and interleaved with it (these machines are noisy), is
one Python loop over the values computing their minimum, maximum and mean: the least any
reading of every point costs. Printed: the medians, the ratio chart/baseline, and the cost of
the 24 h / 7 d / 30 d summaries. Goal: the chart series well under 100 ms.

    .venv/bin/python bench/sensors.py [--points 100000] [--chart 500] [--rounds 15]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.sensors.downsample import Points, downsample, summaries

GOAL_MS = 100.0
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def observations(count: int) -> Points:
    """30 days of NO2-like values (µg/m³): a daily rhythm, noise and a few spikes."""
    rng = random.Random(2026)
    end = NOW.timestamp()
    step = 30 * 86400 / count
    times = [end - (count - 1 - i) * step for i in range(count)]
    values = []
    for i, at in enumerate(times):
        daily = 25 + 15 * math.sin(2 * math.pi * (at % 86400) / 86400)
        spike = 120.0 if i % 9973 == 0 else 0.0
        values.append(max(0.0, daily + rng.gauss(0, 4) + spike))
    return Points(times, values)


def plain_pass(values: list[float]) -> tuple[float, float, float]:
    """Minimum, maximum and mean in one Python loop (the baseline)."""
    low = high = values[0]
    total = 0.0
    for value in values:
        if value < low:
            low = value
        elif value > high:
            high = value
        total += value
    return low, high, total / len(values)


def timed_ms(work: Callable[[], object]) -> float:
    """How long one call took."""
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--chart", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    series = observations(args.points)
    chart: list[float] = []
    baseline: list[float] = []
    windows: list[float] = []
    for _ in range(args.rounds):
        chart.append(timed_ms(lambda: downsample(series, args.chart)))
        baseline.append(timed_ms(lambda: plain_pass(series.values)))
        windows.append(timed_ms(lambda: summaries(series, NOW)))
    kept = downsample(series, args.chart)
    chart_ms, base_ms = statistics.median(chart), statistics.median(baseline)
    print(f"points: {args.points:,} -> chart: {len(kept.times)} (asked {args.chart})")
    print(f"rounds: {args.rounds}")
    print(f"chart series (LTTB + extremes) median {chart_ms:7.2f} ms  (goal <= {GOAL_MS:.0f} ms)")
    print(f"baseline (plain min/max/mean) median {base_ms:7.2f} ms")
    print(f"ratio chart/baseline: {chart_ms / base_ms:.2f}x")
    print(f"summaries 24h/7d/30d median {statistics.median(windows):7.2f} ms")
    print("goal met" if chart_ms <= GOAL_MS else "GOAL MISSED")


if __name__ == "__main__":
    main()
