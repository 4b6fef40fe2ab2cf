"""Thresholds per observed property: levels in words, configurable limits."""

from __future__ import annotations

import pytest

from services.i18n import Translator, compile_catalogues
from services.sensors.thresholds import (
    DEFAULTS,
    LEVELS,
    assess,
    configured,
    property_key,
)


@pytest.mark.parametrize(
    ("key", "value", "level"),
    [
        ("no2", 12.0, "good"),
        ("no2", 40.0, "elevated"),
        ("no2", 199.9, "elevated"),
        ("no2", 201.0, "high"),
        ("pm10", 39.0, "good"),
        ("pm10", 45.0, "elevated"),
        ("pm10", 55.0, "high"),
        ("pm2_5", 8.0, "good"),
        ("pm2_5", 12.0, "elevated"),
        ("pm2_5", 25.0, "high"),
        ("noise", 50.0, "good"),
        ("noise", 60.0, "elevated"),
        ("noise", 70.0, "high"),
        ("rhine_level", 3.10, "good"),
        ("rhine_level", 6.20, "elevated"),
        ("rhine_level", 8.29, "elevated"),
        ("rhine_level", 8.30, "high"),
        ("parking_occupancy", 50.0, "good"),
        ("parking_occupancy", 85.0, "elevated"),
        ("parking_occupancy", 97.0, "high"),
        ("soil_moisture", 30.0, "good"),
        ("soil_moisture", 15.0, "elevated"),
        ("soil_moisture", 5.0, "high"),  # dry is worse
    ],
)
def test_levels(key: str, value: float, level: str) -> None:
    assert assess(key, value).level == level


def test_every_level_says_it_in_words() -> None:
    for key, threshold in DEFAULTS.items():
        for level in LEVELS:
            assert threshold.explanations[level].strip(), (key, level)
            assert threshold.words[level].strip(), (key, level)
    assert assess("rhine_level", 7.0).word == "Hochwassermarke I"
    assert "Hochwassermarke I" in assess("rhine_level", 7.0).explanation


def test_the_explanation_names_the_limits_in_the_reader_s_format() -> None:
    de = Translator("de")
    text = assess("rhine_level", 7.0).text(de.gettext, de.number)
    assert "6,2 m" in text and "{" not in text
    no2 = assess("no2", 250).text(de.gettext, de.number)
    assert "200 µg/m³" in no2


def test_configured_limits_override_the_defaults() -> None:
    limits = configured({"no2": {"elevated": 20, "high": 100}})
    assert assess("no2", 30.0, limits).level == "elevated"
    assert assess("no2", 30.0).level == "good"  # the defaults are untouched
    assert assess("no2", 30.0, limits).elevated == 20.0
    texts = configured({"pm10": {"explanations": {"high": "Zu viel Staub."}}})
    assert assess("pm10", 80, texts).explanation == "Zu viel Staub."
    assert assess("pm10", 1, texts).explanation == DEFAULTS["pm10"].explanations["good"]


def test_a_new_property_needs_everything() -> None:
    ozone = {
        "label": "Ozon",
        "unit": "µg/m³",
        "elevated": 120,
        "high": 180,
        "explanations": {"good": "gut", "elevated": "erhöht", "high": "hoch"},
    }
    assert assess("o3", 190, configured({"o3": ozone})).level == "high"
    with pytest.raises(ValueError):
        configured({"o3": {"elevated": 120}})


@pytest.mark.parametrize(
    "bad",
    [
        {"no2": {"elevated": 300}},  # above high
        {"no2": {"high": float("nan")}},
        {"no2": {"elevated": "40"}},
        {"no2": {"colour": "red"}},
        {"soil_moisture": {"high": 30}},  # dryness: high must be below elevated
    ],
)
def test_bad_configuration_is_refused(bad: dict[str, dict[str, object]]) -> None:
    with pytest.raises(ValueError):
        configured(bad)  # type: ignore[arg-type]


def test_unknown_properties_and_bad_values() -> None:
    with pytest.raises(KeyError):
        assess("ozone", 1.0)
    with pytest.raises(ValueError):
        assess("no2", float("nan"))


def test_properties_are_recognised_by_name() -> None:
    assert property_key("PM2.5 Neumarkt") == "pm2_5"
    assert property_key("Feinstaub", "PM10") == "pm10"
    assert property_key("Stickstoffdioxid Clevischer Ring") == "no2"
    assert property_key("Wasserstand", "Pegel Köln") == "rhine_level"
    assert property_key("Belegung Parkhaus Dom") == "parking_occupancy"
    assert property_key("Bodenfeuchte Baum 17") == "soil_moisture"
    assert property_key("Lärm Ebertplatz") == "noise"
    assert property_key("Temperatur", None) is None


def test_the_words_are_translated() -> None:
    compile_catalogues()
    en = Translator("en")
    assessed = assess("rhine_level", 9.1)
    assert en.gettext(assessed.word) == "High-water mark II"
    assert "8.3 m" in assessed.text(en.gettext, en.number)
    tr = Translator("tr")
    assert tr.gettext(assess("soil_moisture", 5).word) == "çok kuru"
