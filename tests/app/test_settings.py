"""Settings from flags and environment: what cannot work is refused with a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import SettingsError, settings_from


def settings(env: dict[str, str]):  # type: ignore[no-untyped-def]
    return settings_from(
        port=None, data_dir=Path("/tmp/x"), locale=None, backend=None, kiosk=False, env=env
    )


def test_the_ckan_flavour_is_ckan_unless_dkan_is_asked_for() -> None:
    assert settings({}).ckan_flavour == "ckan"
    assert settings({"KOELN_CKAN_FLAVOUR": " DKAN "}).ckan_flavour == "dkan"
    with pytest.raises(SettingsError, match="KOELN_CKAN_FLAVOUR"):
        settings({"KOELN_CKAN_FLAVOUR": "socrata"})


def test_each_source_can_point_at_a_real_server() -> None:
    read = settings({"KOELN_CKAN_URL": "https://www.offenedaten-koeln.de/"})
    urls = read.source_urls("http://127.0.0.1:9")
    assert urls.ckan == "https://www.offenedaten-koeln.de"
    assert urls.sta == "http://127.0.0.1:9/FROST-Server/v1.1"
    with pytest.raises(SettingsError, match="KOELN_STA_URL"):
        settings({"KOELN_STA_URL": "ftp://frost"})


def test_sensor_limits_come_from_a_json_file(tmp_path: Path) -> None:
    assert settings({}).sensor_thresholds["no2"].elevated == 40.0  # the EU limit by default
    limits = tmp_path / "limits.json"
    limits.write_text('{"no2": {"elevated": 20, "high": 100}}', encoding="utf-8")
    read = settings({"KOELN_SENSOR_THRESHOLDS": str(limits)}).sensor_thresholds
    assert (read["no2"].elevated, read["no2"].high) == (20.0, 100.0)
    assert read["pm10"].elevated == 40.0, "the other properties keep their defaults"
    for broken, message in [
        ("{not json", "not valid JSON"),
        ('["no2"]', "must map each property"),
        ('{"no2": {"elevated": 300}}', "wrong order"),
        ('{"no2": {"colour": "red"}}', "unknown settings"),
    ]:
        limits.write_text(broken, encoding="utf-8")
        with pytest.raises(SettingsError, match=message):
            settings({"KOELN_SENSOR_THRESHOLDS": str(limits)})
    with pytest.raises(SettingsError, match="cannot be read"):
        settings({"KOELN_SENSOR_THRESHOLDS": str(tmp_path / "missing.json")})
