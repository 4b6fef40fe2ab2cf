"""The sample catalogue: datasets of the City of Cologne, deterministic (no clock, no chance).

Every dataset and resource id is a UUID derived from its name, and every `metadata_modified`
lies a fixed number of days before `REFERENCE_DATE`, so two stubs always agree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from backend_stub.open_data.tables import add_counts_per_district

REFERENCE_DATE = datetime(2026, 10, 1, 6, 30, tzinfo=UTC)
SPAN_DAYS = 730  # metadata_modified spreads over the two years before REFERENCE_DATE
NOTE = "Beispieldaten / sample data"

ORGANIZATIONS: dict[str, str] = {
    "stadt-koeln": "Stadt Köln",
    "statistik": "Amt für Stadtentwicklung und Statistik",
    "kaemmerei": "Kämmerei",
    "umweltamt": "Umwelt- und Verbraucherschutzamt",
    "verkehrsamt": "Amt für Straßen und Verkehrsentwicklung",
    "kulturamt": "Kulturamt",
    "wirtschaftsfoerderung": "KölnBusiness Wirtschaftsförderung",
    "buergeramt": "Bürgeramt und Amt für öffentliche Ordnung",
}

GROUPS: dict[str, str] = {
    "verkehr": "Verkehr",
    "umwelt": "Umwelt",
    "bevoelkerung": "Bevölkerung",
    "wirtschaft": "Wirtschaft",
    "kultur": "Kultur",
    "verwaltung": "Verwaltung",
    "finanzen": "Finanzen",
}

LICENSES: dict[str, str] = {
    "dl-de-by-2.0": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "dl-de-zero-2.0": "Datenlizenz Deutschland – Zero – Version 2.0",
    "cc-by-4.0": "Creative Commons Namensnennung 4.0 International",
}

MIMETYPES: dict[str, str] = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "GeoJSON": "application/geo+json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "PDF": "application/pdf",
    "WMS": "application/vnd.ogc.wms_xml",
}


@dataclass(frozen=True)
class ResourceSpec:
    """One file or service of a dataset; `table` names its datastore table, if any."""

    name: str
    format: str
    table: str | None = None
    datastore: bool = False


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset of the catalogue."""

    name: str
    title: str
    notes: str
    organization: str
    groups: tuple[str, ...]
    tags: tuple[str, ...]
    license_id: str
    resources: tuple[ResourceSpec, ...]

    @property
    def id(self) -> str:
        return dataset_id(self.name)


def dataset_id(name: str) -> str:
    """The dataset's id, derived from its name."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"koeln-stub/{name}"))


def resource_id(dataset_name: str, resource_name: str) -> str:
    """The resource's id, derived from its dataset's id and its own name."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{dataset_id(dataset_name)}/{resource_name}"))


def file_name(dataset_name: str, position: int, fmt: str) -> str:
    """The name under which a resource downloads."""
    extension = {"GEOJSON": "geojson", "XLSX": "xlsx", "WMS": "xml", "API": "json"}.get(
        fmt.upper(), fmt.lower()
    )
    return f"{dataset_name}-{position + 1}.{extension}"


def resource_url(dataset_name: str, resource_name: str, position: int, fmt: str) -> str:
    """Where the stub serves the resource, relative to its base URL (as CKAN's download URLs)."""
    rid = resource_id(dataset_name, resource_name)
    return (
        f"/dataset/{dataset_name}/resource/{rid}/download/{file_name(dataset_name, position, fmt)}"
    )


def modified(index: int) -> datetime:
    """A deterministic `metadata_modified` within the two years before REFERENCE_DATE."""
    days = 0 if index == 0 else (index * 97) % SPAN_DAYS
    return REFERENCE_DATE - timedelta(days=days, minutes=(index * 53) % 600)


def _r(name: str, fmt: str, table: str | None = None, *, datastore: bool = True) -> ResourceSpec:
    """A resource; with a table, its CSV is in the datastore unless `datastore` is False."""
    return ResourceSpec(name, fmt, table, datastore=datastore and table is not None)


BY = "dl-de-by-2.0"
ZERO = "dl-de-zero-2.0"
CC = "cc-by-4.0"


def _d(
    name: str,
    title: str,
    notes: str,
    organization: str,
    groups: tuple[str, ...],
    tags: tuple[str, ...],
    license_id: str,
    *resources: ResourceSpec,
) -> DatasetSpec:
    return DatasetSpec(
        name, title, f"{notes} {NOTE}", organization, groups, tags, license_id, resources
    )


# The first datasets are the ones the app and its tests name; keep them as they are.
DATASETS: list[DatasetSpec] = [
    _d(
        "wartezeiten-kundenzentren",
        "Wartezeiten der Kundenzentren",
        "Aktuelle Wartezeiten in den Kundenzentren der Stadt Köln.",
        "stadt-koeln",
        ("verwaltung",),
        ("Verwaltung", "Wartezeiten", "Echtzeit"),
        BY,
        _r("Wartezeiten (JSON)", "JSON"),
    ),
    _d(
        "parkhaeuser-belegung",
        "Belegung der Parkhäuser",
        "Freie Plätze in den Parkhäusern der Innenstadt.",
        "stadt-koeln",
        ("verkehr",),
        ("Verkehr", "Parken"),
        BY,
        _r("Belegung (CSV)", "CSV", "parkhaus-belegung"),
    ),
    _d(
        "luftqualitaet-lorawan",
        "Luftqualität aus dem LoRaWAN-Sensornetz",
        "Feinstaub und Temperatur der städtischen LoRaWAN-Sensoren.",
        "stadt-koeln",
        ("umwelt",),
        ("Umwelt", "Sensoren", "LoRaWAN"),
        BY,
        _r("Messwerte (CSV)", "CSV", "lorawan-messwerte"),
        _r("SensorThings API", "API"),
    ),
    _d(
        "baustellen",
        "Baustellen im Stadtgebiet",
        "Aktuelle Baustellen mit Zeitraum und Ort.",
        "stadt-koeln",
        ("verkehr",),
        ("Verkehr", "Baustellen"),
        BY,
        _r("Baustellen (GeoJSON)", "GeoJSON"),
    ),
    _d(
        "bevoelkerung-stadtteile",
        "Bevölkerung nach Stadtteilen",
        "Einwohnerinnen und Einwohner je Stadtteil.",
        "statistik",
        ("bevoelkerung",),
        ("Bevölkerung", "Statistik"),
        BY,
        _r("Einwohner (CSV)", "CSV", "einwohner-stadtteile"),
    ),
    _d(
        "haushaltsplan",
        "Haushaltsplan der Stadt Köln",
        "Erträge und Aufwendungen nach Produktbereichen.",
        "kaemmerei",
        ("finanzen",),
        ("Haushalt", "Finanzen"),
        BY,
        _r("Haushalt (CSV)", "CSV", "haushalt"),
    ),
    # datasets with datastore tables
    _d(
        "kfz-zulassungen",
        "Kfz-Zulassungen je Jahr",
        "Bestand der zugelassenen Kraftfahrzeuge in Köln nach Fahrzeugart und Jahr.",
        "buergeramt",
        ("verkehr",),
        ("Verkehr", "Kfz", "Zulassung", "Statistik"),
        BY,
        _r("Kfz-Bestand (CSV, Windows-1252)", "CSV", "kfz-zulassungen"),
        _r("Kfz-Bestand (XLSX)", "XLSX"),
    ),
    _d(
        "luftschadstoffe-monatsmittel",
        "Luftschadstoffe: Monatsmittelwerte der Messstationen",
        "Monatsmittel von Stickstoffdioxid und Feinstaub an den Messstationen im Stadtgebiet.",
        "umweltamt",
        ("umwelt",),
        ("Umwelt", "Stickstoffdioxid", "Feinstaub", "Messstationen"),
        ZERO,
        _r("Monatsmittel (CSV)", "CSV", "luftmesswerte-monatlich"),
        _r("Messstationen (GeoJSON)", "GeoJSON"),
    ),
    _d(
        "museen-besucher",
        "Besucherinnen und Besucher der städtischen Museen",
        "Jährliche Besuchszahlen der Museen der Stadt Köln, vom Museum Ludwig bis zum"
        " Römisch-Germanischen Museum.",
        "kulturamt",
        ("kultur",),
        ("Kultur", "Museen", "Besucher"),
        CC,
        _r("Besuchszahlen (CSV, Windows-1252)", "CSV", "museen-besucher"),
        _r("Jahresbericht (PDF)", "PDF"),
    ),
    _d(
        "pegel-koeln-jahresmittel",
        "Pegel Köln: Jahresmittel des Rheinwasserstands",
        "Mittlerer, höchster und niedrigster Wasserstand des Rheins am Pegel Köln je Jahr.",
        "umweltamt",
        ("umwelt",),
        ("Umwelt", "Rhein", "Pegel", "Hochwasser"),
        ZERO,
        _r("Jahreswerte (CSV)", "CSV", "pegel-jahresmittel"),
    ),
    _d(
        "gewerbeanmeldungen",
        "Gewerbeanmeldungen und -abmeldungen je Stadtbezirk",
        "Monatliche Gewerbean- und -abmeldungen in den neun Kölner Stadtbezirken.",
        "wirtschaftsfoerderung",
        ("wirtschaft",),
        ("Wirtschaft", "Gewerbe", "Statistik"),
        BY,
        _r("Gewerbemeldungen (CSV)", "CSV", "gewerbeanmeldungen"),
        _r("Gewerbemeldungen (JSON)", "JSON"),
    ),
    _d(
        "verkehrszaehlung-rohdaten",
        "Verkehrszählung: Rohdaten der Dauerzählstellen",
        "Viertelstündliche Zählwerte der Kfz-Dauerzählstellen, sehr große Datei.",
        "verkehrsamt",
        ("verkehr",),
        ("Verkehr", "Verkehrszählung", "Rohdaten"),
        ZERO,
        _r("Zählwerte (CSV, groß)", "CSV", "verkehrszaehlung-gross", datastore=False),
    ),
]

# fmt: off
# The rest of the catalogue: (name, title, notes, organization, group, tags, licence, formats)
_MORE: list[tuple[str, str, str, str, str, tuple[str, ...], str, tuple[str, ...]]] = [
    ("radverkehrsnetz", "Radverkehrsnetz", "Radwege und Fahrradstraßen im Stadtgebiet.",
     "verkehrsamt", "verkehr", ("Verkehr", "Radverkehr"), ZERO, ("GeoJSON", "WMS")),
    ("fahrradzaehlstellen", "Fahrradzählstellen", "Tageswerte der automatischen Radzählstellen.",
     "verkehrsamt", "verkehr", ("Verkehr", "Radverkehr", "Zählstellen"), ZERO, ("CSV", "JSON")),
    ("ampeln", "Lichtsignalanlagen", "Standorte der Ampeln mit Art der Anlage.",
     "verkehrsamt", "verkehr", ("Verkehr", "Ampeln"), BY, ("GeoJSON", "CSV")),
    ("carsharing-stationen", "Carsharing-Stationen", "Stationen stationsbasierter Anbieter.",
     "verkehrsamt", "verkehr", ("Verkehr", "Carsharing", "Mobilität"), CC, ("CSV", "GeoJSON")),
    ("ladesaeulen", "Ladesäulen für Elektrofahrzeuge", "Öffentliche Ladepunkte mit Leistung.",
     "verkehrsamt", "verkehr", ("Verkehr", "Elektromobilität"), BY, ("CSV", "GeoJSON")),
    ("verkehrsunfaelle", "Verkehrsunfälle", "Polizeilich erfasste Unfälle nach Art und Ort.",
     "verkehrsamt", "verkehr", ("Verkehr", "Unfälle", "Sicherheit"), BY, ("CSV", "XLSX")),
    ("anwohnerparken", "Bewohnerparkgebiete", "Grenzen der Bewohnerparkgebiete.",
     "verkehrsamt", "verkehr", ("Verkehr", "Parken"), ZERO, ("GeoJSON", "WMS", "PDF")),
    ("haltestellen-kvb", "Haltestellen des Nahverkehrs", "Haltestellen von Bus und Bahn.",
     "verkehrsamt", "verkehr", ("Verkehr", "ÖPNV", "Haltestellen"), CC, ("CSV", "GeoJSON")),
    ("laermkartierung", "Lärmkartierung", "Straßen- und Schienenlärm (EU-Umgebungslärm).",
     "umweltamt", "umwelt", ("Umwelt", "Lärm"), BY, ("WMS", "PDF")),
    ("baumkataster", "Baumkataster", "Straßenbäume mit Art, Pflanzjahr und Kronendurchmesser.",
     "umweltamt", "umwelt", ("Umwelt", "Bäume", "Stadtgrün"), ZERO, ("CSV", "GeoJSON")),
    ("gruenflaechen", "Grünflächen und Parks", "Öffentliche Grünanlagen mit Fläche.",
     "umweltamt", "umwelt", ("Umwelt", "Stadtgrün", "Parks"), BY, ("GeoJSON", "WMS")),
    ("hochwasserschutz", "Hochwassergefahrenkarten", "Überflutungsflächen bei Rheinhochwasser.",
     "umweltamt", "umwelt", ("Umwelt", "Rhein", "Hochwasser"), BY, ("WMS", "PDF")),
    ("solarpotenzial", "Solarpotenzial der Dachflächen", "Eignung der Dächer für Photovoltaik.",
     "umweltamt", "umwelt", ("Umwelt", "Energie", "Solar"), CC, ("WMS", "GeoJSON")),
    ("wertstoffcontainer", "Standorte der Wertstoffcontainer", "Glas-, Papier- und Altkleider.",
     "umweltamt", "umwelt", ("Umwelt", "Abfall"), ZERO, ("CSV", "JSON")),
    ("klimadaten", "Klimadaten Köln", "Temperatur und Niederschlag, Station Stammheim.",
     "umweltamt", "umwelt", ("Umwelt", "Klima"), CC, ("CSV", "XLSX")),
    ("trinkbrunnen", "Trinkbrunnen", "Öffentliche Trinkwasserbrunnen im Stadtgebiet.",
     "umweltamt", "umwelt", ("Umwelt", "Wasser"), ZERO, ("GeoJSON", "CSV")),
    ("geburten-sterbefaelle", "Geburten und Sterbefälle", "Natürliche Bevölkerungsbewegung.",
     "statistik", "bevoelkerung", ("Bevölkerung", "Statistik", "Geburten"), BY, ("CSV", "XLSX")),
    ("wanderungen", "Zu- und Fortzüge", "Wanderungen über die Stadtgrenze nach Herkunft.",
     "statistik", "bevoelkerung", ("Bevölkerung", "Statistik", "Wanderung"), BY, ("CSV", "XLSX")),
    ("altersstruktur", "Altersstruktur der Bevölkerung", "Einwohner nach Altersgruppen.",
     "statistik", "bevoelkerung", ("Bevölkerung", "Statistik", "Alter"), BY, ("CSV", "PDF")),
    ("staatsangehoerigkeiten", "Einwohner nach Staatsangehörigkeit", "Häufigste Nationalitäten.",
     "statistik", "bevoelkerung", ("Bevölkerung", "Statistik", "Migration"), BY, ("CSV", "XLSX")),
    ("haushalte-stadtteile", "Haushalte nach Stadtteilen", "Privathaushalte nach Größe.",
     "statistik", "bevoelkerung", ("Bevölkerung", "Haushalte"), ZERO, ("CSV",)),
    ("wahlergebnisse-kommunalwahl", "Ergebnisse der Kommunalwahl", "Stimmen je Wahlbezirk.",
     "statistik", "bevoelkerung", ("Wahlen", "Statistik"), ZERO, ("CSV", "JSON", "PDF")),
    ("stadtteilgrenzen", "Grenzen der Stadtteile und Stadtbezirke", "Geometrien der 86 Stadtteile.",
     "statistik", "bevoelkerung", ("Geodaten", "Stadtteile"), ZERO, ("GeoJSON", "WMS")),
    ("arbeitsmarkt", "Arbeitsmarkt in Köln", "Sozialversicherungspflichtig Beschäftigte.",
     "wirtschaftsfoerderung", "wirtschaft", ("Wirtschaft", "Arbeitsmarkt"), BY, ("CSV", "XLSX")),
    ("tourismus-uebernachtungen", "Übernachtungen in Beherbergungsbetrieben", "Gäste und Nächte.",
     "wirtschaftsfoerderung", "wirtschaft", ("Wirtschaft", "Tourismus"), BY, ("CSV", "XLSX")),
    ("gewerbeflaechen", "Gewerbeflächen", "Verfügbare Gewerbe- und Industrieflächen.",
     "wirtschaftsfoerderung", "wirtschaft", ("Wirtschaft", "Flächen"), CC, ("GeoJSON", "PDF")),
    ("wochenmaerkte", "Wochenmärkte", "Märkte mit Wochentagen und Öffnungszeiten.",
     "wirtschaftsfoerderung", "wirtschaft", ("Wirtschaft", "Märkte"), ZERO, ("CSV", "JSON")),
    ("breitbandausbau", "Breitbandversorgung", "Glasfaser- und Gigabitversorgung nach Adressen.",
     "wirtschaftsfoerderung", "wirtschaft", ("Wirtschaft", "Digitalisierung"), BY, ("WMS",)),
    ("messe-veranstaltungen", "Messen und Kongresse", "Veranstaltungen der Koelnmesse.",
     "wirtschaftsfoerderung", "wirtschaft", ("Wirtschaft", "Messe"), CC, ("JSON", "CSV")),
    ("steuerhebesaetze", "Hebesätze der Gewerbe- und Grundsteuer", "Entwicklung seit 2000.",
     "kaemmerei", "wirtschaft", ("Wirtschaft", "Steuern", "Finanzen"), ZERO, ("CSV", "PDF")),
    ("bibliotheken-ausleihen", "Ausleihen der Stadtbibliothek", "Medienausleihen je Standort.",
     "kulturamt", "kultur", ("Kultur", "Bibliothek"), CC, ("CSV", "XLSX")),
    ("denkmalliste", "Denkmalliste", "Eingetragene Baudenkmäler mit Adresse.",
     "kulturamt", "kultur", ("Kultur", "Denkmäler"), BY, ("CSV", "PDF")),
    ("kunst-im-oeffentlichen-raum", "Kunst im öffentlichen Raum", "Skulpturen und Brunnen.",
     "kulturamt", "kultur", ("Kultur", "Kunst"), CC, ("GeoJSON", "JSON")),
    ("veranstaltungskalender", "Veranstaltungskalender", "Termine städtischer Kultureinrichtungen.",
     "kulturamt", "kultur", ("Kultur", "Veranstaltungen"), CC, ("JSON",)),
    ("karneval-zuege", "Karnevalsumzüge", "Zugwege der Veedelszöch und des Rosenmontagszugs.",
     "kulturamt", "kultur", ("Kultur", "Karneval"), BY, ("GeoJSON", "PDF")),
    ("kulturfoerderung", "Kulturförderung", "Geförderte Projekte mit Fördersumme.",
     "kulturamt", "kultur", ("Kultur", "Förderung", "Finanzen"), BY, ("CSV", "XLSX")),
    ("musikschule", "Rheinische Musikschule", "Schülerinnen und Schüler nach Fach.",
     "kulturamt", "kultur", ("Kultur", "Bildung"), CC, ("CSV",)),
    ("kundenzentren-standorte", "Standorte der Kundenzentren", "Adressen und Öffnungszeiten.",
     "buergeramt", "verwaltung", ("Verwaltung", "Kundenzentren"), ZERO, ("CSV", "JSON", "GeoJSON")),
    ("ratsinformationen", "Sitzungen des Rates", "Sitzungstermine und Tagesordnungen.",
     "stadt-koeln", "verwaltung", ("Verwaltung", "Politik", "Rat"), ZERO, ("JSON", "PDF")),
    ("behoerdennummer-115", "Anrufe bei der Behördennummer 115", "Anrufe je Monat und Thema.",
     "buergeramt", "verwaltung", ("Verwaltung", "Service"), BY, ("CSV", "XLSX")),
    ("personal-stadtverwaltung", "Beschäftigte der Stadtverwaltung", "Stellen nach Dezernat.",
     "stadt-koeln", "verwaltung", ("Verwaltung", "Personal"), BY, ("CSV", "PDF")),
    ("online-dienste", "Online-Dienstleistungen", "Verwaltungsleistungen, die online gehen.",
     "stadt-koeln", "verwaltung", ("Verwaltung", "Digitalisierung", "OZG"), CC, ("JSON", "CSV")),
    ("standesamt-eheschliessungen", "Eheschließungen", "Trauungen je Standesamt und Monat.",
     "buergeramt", "verwaltung", ("Verwaltung", "Standesamt"), BY, ("CSV",)),
    ("schulen", "Schulen in Köln", "Schulen mit Schulform, Träger und Schülerzahl.",
     "stadt-koeln", "verwaltung", ("Bildung", "Schulen"), ZERO, ("CSV", "GeoJSON")),
    ("kitas", "Kindertageseinrichtungen", "Kitas mit Plätzen und Träger.",
     "stadt-koeln", "verwaltung", ("Bildung", "Kinder", "Kita"), ZERO, ("CSV", "GeoJSON")),
    ("beschwerden-anregungen", "Anregungen und Beschwerden", "Eingaben nach § 24 GO NRW.",
     "stadt-koeln", "verwaltung", ("Verwaltung", "Beteiligung"), BY, ("CSV", "PDF")),
    ("jahresabschluss", "Jahresabschluss der Stadt Köln", "Bilanz und Ergebnisrechnung.",
     "kaemmerei", "finanzen", ("Haushalt", "Finanzen"), BY, ("PDF", "XLSX")),
    ("schulden", "Verschuldung der Stadt", "Kredite und Kassenkredite je Jahr.",
     "kaemmerei", "finanzen", ("Finanzen", "Schulden"), BY, ("CSV", "XLSX")),
    ("fundbuero", "Fundsachen", "Abgegebene Fundsachen nach Kategorie.",
     "buergeramt", "verwaltung", ("Verwaltung", "Fundbüro"), ZERO, ("CSV", "JSON")),
    ("wlan-hotspots", "Öffentliche WLAN-Hotspots", "Standorte der freien WLAN-Zugänge.",
     "stadt-koeln", "wirtschaft", ("Digitalisierung", "WLAN"), CC, ("GeoJSON", "CSV")),
    ("spielplaetze", "Spielplätze", "Öffentliche Spielplätze mit Ausstattung.",
     "umweltamt", "umwelt", ("Stadtgrün", "Kinder", "Spielplätze"), ZERO, ("GeoJSON", "CSV")),
]
# fmt: on

_KIND = {
    "CSV": "Tabelle",
    "JSON": "JSON",
    "GeoJSON": "Geodaten",
    "XLSX": "Excel",
    "PDF": "Bericht",
    "WMS": "Kartendienst",
}


def _counts(dataset_name: str) -> str:
    """A table of counts per Stadtbezirk for a dataset with no table of its own."""
    return add_counts_per_district(f"{dataset_name}-je-bezirk")


for _name, _title, _notes, _org, _group, _tags, _licence, _formats in _MORE:
    DATASETS.append(
        _d(
            _name,
            _title,
            _notes,
            _org,
            (_group,),
            _tags,
            _licence,
            *(
                _r(f"{_title} ({_KIND[fmt]})", fmt, _counts(_name) if fmt == "CSV" else None)
                for fmt in _formats
            ),
        )
    )

BY_NAME: dict[str, DatasetSpec] = {spec.name: spec for spec in DATASETS}
