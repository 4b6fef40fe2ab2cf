"""Languages: complete catalogues, Babel formatting in the current locale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from services.i18n import LOCALE_DIR, LOCALES, Translator, compile_catalogues


def catalogue(locale: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def template_ids() -> set[str]:
    with (LOCALE_DIR / "messages.pot").open("rb") as pot:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_every_string_is_translated(locale: str) -> None:
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue(locale)
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    assert template_ids() - translated == set()


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_placeholders_survive_translation(locale: str) -> None:
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = {part.split("}")[0] for part in ids[0].split("{")[1:]}
        for string in strings:
            assert {p.split("}")[0] for p in string.split("{")[1:]} == wanted, message.id


def test_german_is_the_default_and_translates() -> None:
    compile_catalogues()
    assert Translator("xx").locale == "de"
    assert Translator("de").gettext("Waiting times") == "Wartezeiten"
    assert Translator("tr").gettext("Waiting times") == "Bekleme süreleri"
    assert Translator("en").gettext("Waiting times") == "Waiting times"


def test_plurals_follow_the_language() -> None:
    de = Translator("de")
    assert de.ngettext("{n} question", "{n} questions", 1).format(n=1) == "1 Frage"
    assert de.ngettext("{n} question", "{n} questions", 3).format(n=3) == "3 Fragen"


def test_times_are_shown_in_cologne_time_and_the_locale() -> None:
    moment = datetime(2026, 10, 5, 12, 5, tzinfo=UTC)  # 14:05 in Cologne
    assert Translator("de").time(moment) == "14:05"
    assert Translator("en").time(moment) == "14:05"  # British English: 24-hour
    assert "5" in Translator("de").age(timedelta(minutes=5))
    assert Translator("de").age(timedelta(minutes=5)).startswith("vor")


def test_numbers_use_the_locale_separators() -> None:
    assert Translator("de").number(1234.5) == "1.234,5"
    assert Translator("en").number(1234.5) == "1,234.5"


def test_compile_writes_missing_catalogues(tmp_path: Path) -> None:
    target = tmp_path / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(
        (LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po").read_bytes()
    )
    assert compile_catalogues(tmp_path) == [target / "messages.mo"]
    assert compile_catalogues(tmp_path) == []  # up to date now
    assert Translator("de", tmp_path).gettext("Settings") == "Einstellungen"


def messages_in_code() -> dict[str, str]:
    """Every literal given to `_()`, `N_()` or `ngettext()` in the app, with where it stands,
    also inside f-strings (where the extractor does not look)."""
    import ast

    root = LOCALE_DIR.parent
    found: dict[str, str] = {}
    for folder in ("app", "views", "services"):
        for path in sorted((root / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                first = node.args[0]
                literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                if name in ("_", "N_", "ngettext") and literal:
                    found[first.value] = f"{path.relative_to(root)}:{node.lineno}"  # type: ignore[attr-defined]
    return found


def test_every_message_in_the_code_is_in_the_catalogues() -> None:
    known = template_ids()
    missing = {text: where for text, where in messages_in_code().items() if text not in known}
    assert missing == {}, "run `make extract-messages` and translate (no _() inside f-strings)"
