"""User settings that persist across restarts, kept in the local store."""

from __future__ import annotations

from sqlmodel import Session

from services.i18n import DEFAULT_LOCALE, LOCALES
from services.local_store import LocalStore, Preference

LOCALE_KEY = "locale"


class Preferences:
    """Typed access to the stored settings."""

    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def get(self, key: str) -> str | None:
        """The stored value of `key`, if any."""
        with Session(self._store.engine) as session:
            row = session.get(Preference, key)
            return row.value if row else None

    def set(self, key: str, value: str) -> None:
        """Store `value` under `key`."""
        with Session(self._store.engine) as session:
            session.merge(Preference(key=key, value=value))
            session.commit()

    @property
    def locale(self) -> str:
        """The chosen language, German unless the user chose another."""
        value = self.get(LOCALE_KEY)
        return value if value in LOCALES else DEFAULT_LOCALE

    @locale.setter
    def locale(self, value: str) -> None:
        if value not in LOCALES:
            raise ValueError(f"unsupported locale {value!r}")
        self.set(LOCALE_KEY, value)
