"""How a sensor's value compares with the limits that matter for it: good, elevated or high.

Every level comes with words (a short name and an explanation, German msgids for gettext), so
a screen never says it with colour alone. The limits are the defaults below and can be
overridden per property by configuration (`configured(...)`). Explanations may name the
limits as `{elevated}` and `{high}`; `Assessment.text` fills them in, formatted for the reader.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from services.i18n import N_

Level = Literal["good", "elevated", "high"]
LEVELS: tuple[Level, ...] = ("good", "elevated", "high")
LEVEL_WORDS: Mapping[Level, str] = {
    "good": N_("gut"),
    "elevated": N_("erhöht"),
    "high": N_("hoch"),
}


@dataclass(frozen=True)
class Threshold:
    """The limits of one observed property; `lower_is_worse` for dryness and the like."""

    label: str  # msgid: what is measured
    unit: str
    elevated: float  # from here (or, lower_is_worse, below here) the value is elevated
    high: float
    explanations: Mapping[Level, str]  # msgids, may name `{elevated}` and `{high}`
    words: Mapping[Level, str] = field(default_factory=lambda: dict(LEVEL_WORDS))
    lower_is_worse: bool = False

    def level(self, value: float) -> Level:
        """The level of a value."""
        if self.lower_is_worse:
            return "high" if value < self.high else "elevated" if value < self.elevated else "good"
        return "high" if value >= self.high else "elevated" if value >= self.elevated else "good"


@dataclass(frozen=True)
class Assessment:
    """A value's level, in words: `word` ("erhöht") and `explanation` are msgids."""

    property_key: str
    value: float
    level: Level
    word: str
    explanation: str
    unit: str
    elevated: float
    high: float

    def text(self, gettext: Callable[[str], str], number: Callable[[float], str]) -> str:
        """The explanation translated, with the limits formatted by `number`."""
        return gettext(self.explanation).format(
            elevated=number(self.elevated), high=number(self.high)
        )


DEFAULTS: Mapping[str, Threshold] = {
    # Directive (EU) 2008/50: NO2 40 µg/m³ a year, 200 µg/m³ an hour
    "no2": Threshold(
        label=N_("Stickstoffdioxid (NO2)"),
        unit="µg/m³",
        elevated=40.0,
        high=200.0,
        explanations={
            "good": N_("Unter {elevated} µg/m³, dem EU-Jahresgrenzwert für Stickstoffdioxid."),
            "elevated": N_(
                "Ab {elevated} µg/m³, dem EU-Jahresgrenzwert für Stickstoffdioxid; "
                "unter dem Stundengrenzwert von {high} µg/m³."
            ),
            "high": N_(
                "Ab {high} µg/m³: Der EU-Stundengrenzwert für Stickstoffdioxid "
                "ist erreicht oder überschritten."
            ),
        },
    ),
    # PM10 40 µg/m³ a year, 50 µg/m³ a day
    "pm10": Threshold(
        label=N_("Feinstaub PM10"),
        unit="µg/m³",
        elevated=40.0,
        high=50.0,
        explanations={
            "good": N_("Unter {elevated} µg/m³, dem EU-Jahresgrenzwert für Feinstaub PM10."),
            "elevated": N_(
                "Ab {elevated} µg/m³, dem EU-Jahresgrenzwert für Feinstaub PM10; "
                "unter dem Tagesgrenzwert von {high} µg/m³."
            ),
            "high": N_(
                "Ab {high} µg/m³: Der EU-Tagesgrenzwert für Feinstaub PM10 "
                "ist erreicht oder überschritten."
            ),
        },
    ),
    # PM2.5 25 µg/m³ a year today, 10 µg/m³ from 2030 (Directive (EU) 2024/2881)
    "pm2_5": Threshold(
        label=N_("Feinstaub PM2,5"),
        unit="µg/m³",
        elevated=10.0,
        high=25.0,
        explanations={
            "good": N_(
                "Unter {elevated} µg/m³, dem EU-Jahresgrenzwert für Feinstaub PM2,5 ab 2030."
            ),
            "elevated": N_(
                "Ab {elevated} µg/m³, dem EU-Jahresgrenzwert für Feinstaub PM2,5 ab 2030; "
                "unter dem heutigen Jahresgrenzwert von {high} µg/m³."
            ),
            "high": N_(
                "Ab {high} µg/m³: Der heutige EU-Jahresgrenzwert für Feinstaub PM2,5 "
                "ist erreicht oder überschritten."
            ),
        },
    ),
    # 55 dB(A) the EU's environmental-noise threshold (Lden), 65 dB(A) a known health risk
    "noise": Threshold(
        label=N_("Lärm"),
        unit="dB(A)",
        elevated=55.0,
        high=65.0,
        explanations={
            "good": N_("Unter {elevated} dB(A), der Schwelle der EU-Umgebungslärmrichtlinie."),
            "elevated": N_(
                "Ab {elevated} dB(A): Lärm, der auf Dauer belästigt und den Schlaf stört."
            ),
            "high": N_("Ab {high} dB(A): Lärm, der auf Dauer Herz und Kreislauf schadet."),
        },
    ),
    # the Köln gauge: Hochwassermarke I 6.20 m, II 8.30 m
    "rhine_level": Threshold(
        label=N_("Rheinpegel Köln"),
        unit="m",
        elevated=6.20,
        high=8.30,
        explanations={
            "good": N_(
                "Unter der Hochwassermarke I ({elevated} m am Pegel Köln): "
                "Die Schifffahrt ist nicht eingeschränkt."
            ),
            "elevated": N_(
                "Ab der Hochwassermarke I ({elevated} m am Pegel Köln): "
                "Schiffe fahren langsam und nur in der Mitte des Stroms."
            ),
            "high": N_(
                "Ab der Hochwassermarke II ({high} m am Pegel Köln): "
                "Die Schifffahrt ist eingestellt."
            ),
        },
        words={
            "good": N_("normal"),
            "elevated": N_("Hochwassermarke I"),
            "high": N_("Hochwassermarke II"),
        },
    ),
    "parking_occupancy": Threshold(
        label=N_("Belegung des Parkhauses"),
        unit="%",
        elevated=80.0,
        high=95.0,
        explanations={
            "good": N_("Weniger als {elevated} % belegt: Es gibt genug freie Plätze."),
            "elevated": N_("Ab {elevated} % belegt: Das Parkhaus füllt sich."),
            "high": N_("Ab {high} % belegt: Das Parkhaus ist fast voll."),
        },
        words={"good": N_("freie Plätze"), "elevated": N_("füllt sich"), "high": N_("fast voll")},
    ),
    # volumetric water content of the soil around the city's young trees
    "soil_moisture": Threshold(
        label=N_("Bodenfeuchte"),
        unit="%",
        elevated=20.0,
        high=10.0,
        lower_is_worse=True,
        explanations={
            "good": N_("Ab {elevated} % Bodenfeuchte: Der Boden ist feucht genug."),
            "elevated": N_(
                "Unter {elevated} % Bodenfeuchte: Der Boden ist trocken, "
                "Bäume brauchen bald Wasser."
            ),
            "high": N_(
                "Unter {high} % Bodenfeuchte: Der Boden ist sehr trocken, "
                "Bäume brauchen jetzt Wasser."
            ),
        },
        words={"good": N_("feucht genug"), "elevated": N_("trocken"), "high": N_("sehr trocken")},
    ),
}

# how a datastream's or observed property's name gives away its property (lowercase, in order)
RECOGNISED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pm2_5", ("pm2.5", "pm2,5", "pm2_5", "pm25", "pm 2.5")),
    ("pm10", ("pm10", "pm 10")),
    ("no2", ("no2", "no₂", "stickstoffdioxid", "nitrogen dioxide")),
    ("noise", ("lärm", "laerm", "noise", "schall", "lden", "laeq")),
    ("rhine_level", ("pegel", "wasserstand", "water level")),
    ("parking_occupancy", ("parkhaus", "parking", "belegung", "occupancy")),
    ("soil_moisture", ("bodenfeuchte", "soil moisture", "soil_moisture")),
)


def property_key(*names: str | None) -> str | None:
    """The threshold key for a datastream, from its names (stream, property, sensor)."""
    text = " ".join(n for n in names if n).lower()
    return next((key for key, words in RECOGNISED if any(w in text for w in words)), None)


def configured(
    overrides: Mapping[str, Mapping[str, Any]] | None,
    defaults: Mapping[str, Threshold] = DEFAULTS,
) -> dict[str, Threshold]:
    """The defaults with configured limits (and texts) per property; a new property needs all."""
    merged = dict(defaults)
    for key, changes in (overrides or {}).items():
        known = {"label", "unit", "elevated", "high", "explanations", "words", "lower_is_worse"}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"thresholds for {key}: unknown settings {sorted(unknown)}")
        values = dict(changes)
        for limit in ("elevated", "high"):
            if limit in values:
                values[limit] = _finite(values[limit], f"thresholds for {key}: {limit}")
        for texts in ("explanations", "words"):
            if texts in values:
                base = merged.get(key)
                values[texts] = {**(getattr(base, texts) if base else {}), **values[texts]}
        if key in merged:
            threshold = replace(merged[key], **values)
        else:
            try:
                threshold = Threshold(**values)
            except TypeError as exc:
                raise ValueError(f"thresholds for {key}: {exc}") from exc
        _check(key, threshold)
        merged[key] = threshold
    return merged


def assess(
    property_key: str, value: float, thresholds: Mapping[str, Threshold] | None = None
) -> Assessment:
    """The level of `value` for a property, with its words (KeyError for an unknown one)."""
    threshold = (thresholds or DEFAULTS)[property_key]
    value = _finite(value, f"value of {property_key}")
    level = threshold.level(value)
    return Assessment(
        property_key=property_key,
        value=value,
        level=level,
        word=threshold.words.get(level, LEVEL_WORDS[level]),
        explanation=threshold.explanations[level],
        unit=threshold.unit,
        elevated=threshold.elevated,
        high=threshold.high,
    )


def _finite(raw: Any, what: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ValueError(f"{what} must be a finite number")
    return float(raw)


def _check(key: str, threshold: Threshold) -> None:
    in_order = (
        threshold.high <= threshold.elevated
        if threshold.lower_is_worse
        else threshold.elevated <= threshold.high
    )
    if not in_order:
        raise ValueError(f"thresholds for {key}: elevated and high are in the wrong order")
    missing = [level for level in LEVELS if level not in threshold.explanations]
    if missing:
        raise ValueError(f"thresholds for {key}: no explanation for {missing}")
