"""One settings object from `KOELN_*` environment variables and command-line flags."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_path

from services.clock import parse_clock
from services.hub import SourceUrls
from services.open_data.ckan import Flavour
from services.sensors.thresholds import DEFAULTS, Threshold, configured

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8550
SLUG = re.compile(r"[a-z0-9-]{1,40}")

# The path of each source below a backend that speaks all protocols (the stub).
SOURCE_PATHS = {
    "waiting": "/externe-dienste/open-data/waiting-od.php",
    "zms": "/terminvereinbarung/api/citizen",
    "ckan": "",
    "sta": "/FROST-Server/v1.1",
    "participation": "/participation/v1",
    "queue": "/queue/v1",
}
SOURCE_ENV = {
    "waiting": "KOELN_WAITING_URL",
    "zms": "KOELN_ZMS_URL",
    "ckan": "KOELN_CKAN_URL",
    "sta": "KOELN_STA_URL",
    "participation": "KOELN_PARTICIPATION_URL",
    "queue": "KOELN_QUEUE_URL",
}


class SettingsError(ValueError):
    """A setting that cannot work, with a message for the person who gave it."""


def check_http_url(value: str, what: str) -> str:
    """Return `value` without a trailing slash if it is an http(s) URL with a host."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"{what} must be an http:// or https:// URL with a host, for example "
            f"http://127.0.0.1:8551 — got {value!r}"
        )
    return value.strip().rstrip("/")


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ~/.local/share/koeln-app)."""
    return user_data_path("koeln-app", appauthor=False)


@dataclass(frozen=True)
class Settings:
    """How this run of the app is configured."""

    port: int
    data_dir: Path
    locale: str | None
    backend_url: str | None
    kiosk: bool
    source_overrides: Mapping[str, str]
    public_url: str | None = None
    kiosk_office: str = "innenstadt"
    kiosk_idle_seconds: float = 60.0
    map_tiles: str | None = None
    ckan_flavour: Flavour = "ckan"  # "dkan": the city's portal answers in DKAN's variant
    # The sensors' limits: the defaults with what KOELN_SENSOR_THRESHOLDS (a JSON file) changes.
    sensor_thresholds: Mapping[str, Threshold] = field(default_factory=lambda: dict(DEFAULTS))
    clock: datetime | None = None  # a fixed start time for demos and tests; None: now

    @property
    def host(self) -> str:
        """The app is only ever served on loopback."""
        return LOOPBACK

    @property
    def url(self) -> str:
        """Where the app is served."""
        return f"http://{LOOPBACK}:{self.port}/"

    @property
    def link_base(self) -> str:
        """Where ticket QR codes point: the public address of the app, else this server."""
        return (self.public_url or self.url).rstrip("/")

    @property
    def app_origins(self) -> list[str]:
        """Every address a ticket link to this app may start with."""
        return [self.url.rstrip("/"), *([self.public_url] if self.public_url else [])]

    def source_urls(self, backend_url: str) -> SourceUrls:
        """Each source's URL: its `KOELN_*_URL` override, else its path on `backend_url`."""
        urls = {
            name: self.source_overrides.get(name) or backend_url.rstrip("/") + path
            for name, path in SOURCE_PATHS.items()
        }
        return SourceUrls(**urls)


def source_overrides_from(env: Mapping[str, str]) -> dict[str, str]:
    """The sources pointed elsewhere by environment, checked."""
    overrides = {}
    for name, variable in SOURCE_ENV.items():
        if value := env.get(variable, "").strip():
            overrides[name] = check_http_url(value, variable)
    return overrides


def settings_from(
    *,
    port: int | None,
    data_dir: Path | None,
    locale: str | None,
    backend: str | None,
    kiosk: bool,
    clock: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Combine flags (first) and environment; raises `SettingsError` for what cannot work."""
    env = os.environ if env is None else env
    public_url = env.get("KOELN_PUBLIC_URL", "").strip()
    kiosk_office = env.get("KOELN_KIOSK_OFFICE", "").strip() or "innenstadt"
    if not SLUG.fullmatch(kiosk_office):
        raise SettingsError(
            f"KOELN_KIOSK_OFFICE must be a short name like 'ehrenfeld', got {kiosk_office!r}"
        )
    try:
        idle = float(env.get("KOELN_KIOSK_IDLE_SECONDS") or 60)
    except ValueError as exc:
        raise SettingsError("KOELN_KIOSK_IDLE_SECONDS must be a number of seconds") from exc
    backend = backend or env.get("KOELN_BACKEND") or None
    port = port if port is not None else int(env.get("KOELN_PORT", DEFAULT_PORT))
    if not 0 < port < 65536:
        raise SettingsError(f"--port must be between 1 and 65535, got {port}")
    directory = data_dir or (Path(env["KOELN_DATA_DIR"]) if env.get("KOELN_DATA_DIR") else None)
    clock = clock or env.get("KOELN_CLOCK", "").strip() or None
    flavour = env.get("KOELN_CKAN_FLAVOUR", "").strip().lower() or "ckan"
    if flavour not in ("ckan", "dkan"):
        raise SettingsError(f"KOELN_CKAN_FLAVOUR must be 'ckan' or 'dkan', got {flavour!r}")
    thresholds = sensor_thresholds_from(env.get("KOELN_SENSOR_THRESHOLDS", "").strip())
    try:
        start = parse_clock(clock) if clock else None
    except ValueError as exc:
        raise SettingsError(f"--clock / KOELN_CLOCK: {exc}") from exc
    return Settings(
        port=port,
        data_dir=(directory or default_data_dir()).expanduser().resolve(),
        locale=locale or env.get("KOELN_LOCALE") or None,
        backend_url=check_http_url(backend, "--backend") if backend else None,
        kiosk=kiosk,
        source_overrides=source_overrides_from(env),
        public_url=check_http_url(public_url, "KOELN_PUBLIC_URL") if public_url else None,
        kiosk_office=kiosk_office,
        kiosk_idle_seconds=max(5.0, idle),
        map_tiles=env.get("KOELN_MAP_TILES", "").strip() or None,
        ckan_flavour="dkan" if flavour == "dkan" else "ckan",
        sensor_thresholds=thresholds,
        clock=start,
    )


def sensor_thresholds_from(path: str) -> dict[str, Threshold]:
    """The sensors' limits: the defaults, changed per property by a JSON file such as
    `{"no2": {"elevated": 20, "high": 100}}` (see `services/sensors/thresholds.py`)."""
    if not path:
        return dict(DEFAULTS)
    what = f"KOELN_SENSOR_THRESHOLDS ({path})"
    try:
        overrides = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{what} cannot be read: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{what} is not valid JSON: {exc}") from exc
    if not isinstance(overrides, dict) or not all(isinstance(v, dict) for v in overrides.values()):
        raise SettingsError(
            f'{what} must map each property to its settings, e.g. {{"no2": {{"elevated": 20}}}}'
        )
    try:
        return configured(overrides)
    except (ValueError, TypeError) as exc:
        raise SettingsError(f"{what}: {exc}") from exc
