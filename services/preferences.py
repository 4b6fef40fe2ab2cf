"""Each person's settings (language, ...), kept in the local store under their id."""

from __future__ import annotations

from services.i18n import DEFAULT_LOCALE, LOCALES
from services.local_store import LocalStore
from services.people import People

LOCALE_KEY = "locale"
TEXT_SCALE_KEY = "text_scale"
# The text sizes a person can choose, as factors of the normal size (WCAG 1.4.4: up to 200 %).
TEXT_SCALES: tuple[float, ...] = (1.0, 1.25, 1.5, 1.75, 2.0)


class Preferences:
    """Typed access to one person's stored settings; nobody else's are ever read."""

    def __init__(self, store: LocalStore, people: People, default_locale: str = DEFAULT_LOCALE):
        self._store = store
        self._people = people
        self.default_locale = default_locale if default_locale in LOCALES else DEFAULT_LOCALE

    def get(self, person: str | None, key: str) -> str | None:
        """The stored value of `key` for `person`, if any."""
        if person is None:
            return None
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT value FROM personsetting WHERE person_id = ? AND key = ?", (person, key)
            ).fetchone()
        return str(row["value"]) if row else None

    def set(self, person: str, key: str, value: str) -> None:
        """Store `value` under `key` for `person`."""
        self._people.ensure(person)
        with self._store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO personsetting (person_id, key, value) VALUES (?, ?, ?)",
                (person, key, value),
            )

    def locale(self, person: str | None) -> str:
        """The language `person` chose, else the app's default language."""
        value = self.get(person, LOCALE_KEY)
        return value if value in LOCALES else self.default_locale

    def set_locale(self, person: str, value: str) -> None:
        """Remember `person`'s language."""
        if value not in LOCALES:
            raise ValueError(f"unsupported locale {value!r}")
        self.set(person, LOCALE_KEY, value)

    def text_scale(self, person: str | None) -> float:
        """The text size `person` chose (1.0 is normal), else normal."""
        value = self.get(person, TEXT_SCALE_KEY)
        try:
            scale = float(value) if value is not None else 1.0
        except ValueError:
            return 1.0
        return scale if scale in TEXT_SCALES else 1.0

    def set_text_scale(self, person: str, value: float) -> None:
        """Remember `person`'s text size."""
        if value not in TEXT_SCALES:
            raise ValueError(f"unsupported text size {value!r}")
        self.set(person, TEXT_SCALE_KEY, repr(value))
