"""The names the city's systems give in German, shown in the person's language.

The waiting-time feed, the queues and ZMS name offices and services in German only
("Kfz-Zulassungsstelle", "Personalausweis beantragen"). These names are data, keyed by what the
server sends, so here the msgid is the German name itself, not an English text as elsewhere in
the app: the English and Turkish catalogues translate it, the German one repeats it. A name not
listed (a real server may add services at any time) is shown as the server sent it, in German.
"Kundenzentrum <district>" names are proper names and stay German in every language.

Only listed names go through gettext: a server's name that happens to equal one of the app's
English msgids (or is empty, gettext's catalogue header) must not be "translated".
"""

from __future__ import annotations

from services.i18n import N_, Translator

OFFICES: tuple[str, ...] = (N_("Kfz-Zulassungsstelle"),)

SERVICES: tuple[str, ...] = (
    N_("Personalausweis beantragen"),
    N_("Reisepass beantragen"),
    N_("Wohnsitz anmelden"),
    N_("Führungszeugnis beantragen"),
    N_("Meldebescheinigung"),
    N_("Wohnsitz ummelden"),
    N_("Beglaubigung von Kopien"),
    N_("Bewohnerparkausweis beantragen"),
    N_("Dokument abholen"),
    N_("Kinderreisepass beantragen"),
    N_("Abmeldung ins Ausland"),
    N_("Lebensbescheinigung"),
    N_("Adressänderung im Fahrzeugschein"),
    N_("Vorläufigen Personalausweis beantragen"),
    N_("Verlust eines Ausweises melden"),
    N_("Fahrzeug zulassen"),
    N_("Fahrzeug abmelden"),
    N_("Halterwechsel eintragen"),
)

KNOWN: frozenset[str] = frozenset(OFFICES + SERVICES)


def city_name(tr: Translator, name: str) -> str:
    """The city's German `name` of an office or service in `tr`'s language; else as it is."""
    key = " ".join(name.split())  # a server's stray spaces do not make a name unknown
    return tr.gettext(key) if key in KNOWN else name
