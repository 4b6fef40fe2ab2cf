"""Languages: gettext catalogues from `locales/` and Babel formatting in the current locale."""

from __future__ import annotations

import datetime as dt
import gettext
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import (
    format_date,
    format_datetime,
    format_skeleton,
    format_time,
    format_timedelta,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

from services.clock import CITY_TZ

DOMAIN = "messages"
DEFAULT_LOCALE = "de"
# Each language named in itself, so a user who cannot read the current one still finds theirs.
LOCALES: dict[str, str] = {"de": "Deutsch", "en": "English", "tr": "Türkçe"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"
# The region whose formats each language uses: British English writes 24-hour times and
# "30 Nov 2026" like the rest of the app (opening hours "07:30–15:00"), not "10:00 AM"; the
# same regions as Flutter's own strings (app/display.py FLUTTER_LOCALES).
BABEL_LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB", "tr": "tr_TR"}


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile each `.po` whose `.mo` is missing or older; returns what was written."""
    written = []
    for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=True)
        written.append(mo_path)
    return written


class Translator:
    """Translations and number/date formats of one language."""

    def __init__(self, locale: str, locale_dir: Path = LOCALE_DIR) -> None:
        if locale not in LOCALES:
            locale = DEFAULT_LOCALE
        # the language code (preferences, links, <html lang>); formats follow its region
        self.locale = locale
        self.babel_locale = Locale.parse(BABEL_LOCALES[locale])
        self._translations = gettext.translation(
            DOMAIN, localedir=str(locale_dir), languages=[locale], fallback=True
        )

    def gettext(self, message: str) -> str:
        """The message in this language."""
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for `n` in this language."""
        return self._translations.ngettext(singular, plural, n)

    def time(self, value: datetime) -> str:
        """A time of day in the city's time zone, e.g. 14:05."""
        return format_time(value.astimezone(CITY_TZ), "short", locale=self.babel_locale)

    def date(self, value: datetime) -> str:
        """A date in the city's time zone."""
        return format_date(value.astimezone(CITY_TZ), "medium", locale=self.babel_locale)

    def long_date(self, value: datetime | dt.date) -> str:
        """A day written out, e.g. "Dienstag, 24. November 2026"."""
        if isinstance(value, datetime):
            value = value.astimezone(CITY_TZ).date()
        return format_date(value, "full", locale=self.babel_locale)

    def short_date(self, value: dt.date) -> str:
        """A day short, with its weekday, in this language's order, e.g. "Di., 24. Nov."."""
        return format_skeleton("MMMEd", value, locale=self.babel_locale)

    def plain_date(self, value: dt.date) -> str:
        """A date (with its time, if it has one) as a table gives it, with no time zone."""
        if isinstance(value, datetime):
            return format_datetime(value.replace(tzinfo=None), "short", locale=self.babel_locale)
        return format_date(value, "medium", locale=self.babel_locale)

    def weekday_short(self, value: dt.date) -> str:
        """The weekday, abbreviated, e.g. "Mo."."""
        return format_date(value, "EEE", locale=self.babel_locale)

    def month(self, value: dt.date) -> str:
        """A month and year, e.g. "November 2026"."""
        return format_date(value, "LLLL yyyy", locale=self.babel_locale)

    def money(self, amount: str, currency: str) -> str:
        """An amount of money, e.g. "37,00 €"."""
        return format_currency(Decimal(amount), currency, locale=self.babel_locale)

    def date_time(self, value: datetime) -> str:
        """Date and time in the city's time zone."""
        return format_datetime(value.astimezone(CITY_TZ), "short", locale=self.babel_locale)

    def stamp(self, value: datetime, now: datetime) -> str:
        """The time for today's values, date and time for older ones."""
        if value.astimezone(CITY_TZ).date() == now.astimezone(CITY_TZ).date():
            return self.time(value)
        return self.date_time(value)

    def age(self, delta: timedelta) -> str:
        """How long ago, e.g. "vor 5 Minuten"."""
        return format_timedelta(
            -abs(delta), add_direction=True, threshold=1.0, locale=self.babel_locale
        )

    def number(self, value: float) -> str:
        """A number with this language's separators."""
        return format_decimal(value, locale=self.babel_locale)

    def percent(self, value: float) -> str:
        """A share as a percentage in this language's way, e.g. 1.5 → "150 %" (de), "%150" (tr)."""
        return format_percent(value, locale=self.babel_locale)
