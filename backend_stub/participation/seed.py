"""Sample data: measures of the Masterplan Digitales Köln, three surveys that together use every
question type, and one KölnDigital workshop. Titles and descriptions are short sample texts
on the measures the city's documents name; their status is sample data too."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from backend_stub.participation.models import Event, EventSurvey, Measure, Question, Survey
from backend_stub.participation.wire import QuestionSpec

# (pillar, id, title, description, status)
MEASURES: list[tuple[str, str, str, str, str]] = [
    ("governance", "online-kfz-zulassung", "Online-Fahrzeugzulassung",
     "Fahrzeuge an-, um- und abmelden, ohne zur Zulassungsstelle zu gehen (i-Kfz).", "done"),
    ("governance", "urkunden-online", "Urkunden von zu Hause bestellen",
     "Geburts-, Ehe- und Sterbeurkunden online beantragen und per Post erhalten.", "done"),
    ("governance", "wartezeiten-qr", "Wartezeiten per QR-Code",
     "Die aktuelle Wartezeit der Kundenzentren sehen und die eigene Wartenummer aufs Handy "
     "holen.", "done"),
    ("governance", "online-terminbuchung", "Online-Terminbuchung",
     "Termine in allen Kundenzentren online buchen, verschieben und absagen.", "done"),
    ("governance", "online-bezahlung", "Online-Bezahlung",
     "Gebühren online bezahlen, mit Karte, PayPal oder giropay.", "done"),
    ("governance", "ozg-onlinedienste", "OZG-Onlinedienste",
     "Die Leistungen nach dem Onlinezugangsgesetz Schritt für Schritt digital anbieten.",
     "in_progress"),
    ("governance", "digitale-baugenehmigung", "Digitale Baugenehmigung",
     "Bauanträge digital stellen und den Stand des Verfahrens online verfolgen.", "in_progress"),
    ("governance", "registermodernisierung", "Registermodernisierung",
     "Nachweise einmal angeben: Register der Verwaltung tauschen Daten mit Zustimmung aus.",
     "in_progress"),
    ("governance", "e-akte", "E-Akte",
     "Die elektronische Akte in allen Ämtern statt Papierakten.", "in_progress"),
    ("governance", "prozessautomatisierung", "Prozessautomatisierung (RPA)",
     "Wiederkehrende Arbeitsschritte der Verwaltung mit Software-Robotern erledigen.",
     "in_progress"),
    ("smart_city", "lorawan-sensornetz", "LoRaWAN-Sensornetz",
     "Ein stadtweites Funknetz für Sensoren: Luft, Pegel, Parkplätze, Bodenfeuchte.",
     "in_progress"),
    ("smart_city", "wlan-und-5g", "Städtisches WLAN und 5G",
     "Freies WLAN an öffentlichen Orten und 5G-Standorte auf städtischen Gebäuden.",
     "in_progress"),
    ("smart_city", "smart-education", "Smart Education",
     "Digitale Ausstattung und Lernplattformen für Kölner Schulen.", "in_progress"),
    ("smart_city", "digitaler-zwilling", "Digitaler Zwilling",
     "Ein 3D-Stadtmodell mit Live-Daten für Planung und Beteiligung.", "planned"),
    ("data_economy", "open-data-by-default", "Offene Daten standardmäßig",
     "Daten der Stadt werden offen veröffentlicht, wenn nichts dagegen spricht.", "in_progress"),
    ("data_economy", "transparenzportal", "Transparenzportal",
     "Ratsbeschlüsse, Verträge und Gutachten an einem Ort durchsuchen.", "planned"),
    ("data_economy", "kommunale-ki-plattform", "Kommunale KI-Plattform",
     "Eine KI-Plattform der Stadt, auf der Daten in Köln bleiben.", "planned"),
]  # fmt: skip


def _options(*pairs: str) -> list[dict[str, str]]:
    return [{"id": pairs[i], "label": pairs[i + 1]} for i in range(0, len(pairs), 2)]


SATISFACTION = {
    "min": 1,
    "max": 5,
    "labels": ["sehr unzufrieden", "unzufrieden", "teils, teils", "zufrieden", "sehr zufrieden"],
}
AGREEMENT = {
    "min": 1,
    "max": 5,
    "labels": [
        "stimme gar nicht zu",
        "stimme eher nicht zu",
        "teils, teils",
        "stimme eher zu",
        "stimme voll zu",
    ],
}
IMPORTANCE = {
    "min": 1,
    "max": 5,
    "labels": ["unwichtig", "eher unwichtig", "teils, teils", "wichtig", "sehr wichtig"],
}

# Surveys open a day before the stub starts and close 60 days after.
SURVEYS: list[dict[str, Any]] = [
    {
        "id": "masterplan-prioritaeten",
        "measure_id": "ozg-onlinedienste",
        "pillar": "governance",
        "title": "Masterplan Digitales Köln: Was ist Ihnen am wichtigsten?",
        "description": "Sagen Sie uns, welche Maßnahmen der Digitalen Verwaltung zuerst kommen "
        "sollen. Anonym.",
        "questions": [
            {
                "id": "nutzen",
                "kind": "single_choice",
                "text": "Welche Maßnahme nutzt Ihnen am meisten?",
                "options": _options(
                    "kfz",
                    "Online-Fahrzeugzulassung",
                    "urkunden",
                    "Urkunden von zu Hause bestellen",
                    "wartezeiten",
                    "Wartezeiten per QR-Code",
                    "termine",
                    "Online-Terminbuchung",
                    "bezahlen",
                    "Online-Bezahlung",
                ),
            },
            {
                "id": "termine_fehlt",
                "kind": "free_text",
                "text": "Was fehlt Ihnen bei der Online-Terminbuchung noch?",
                "max_length": 500,
                "condition": {"question": "nutzen", "option": "termine"},
            },
            {
                "id": "genutzt",
                "kind": "multiple_choice",
                "text": "Welche Online-Dienste haben Sie schon genutzt? (höchstens drei)",
                "max_choices": 3,
                "required": False,
                "options": _options(
                    "ozg",
                    "OZG-Onlinedienste",
                    "termine",
                    "Online-Terminbuchung",
                    "transparenz",
                    "Transparenzportal",
                    "urkunden",
                    "Urkundenbestellung",
                ),
            },
            {
                "id": "zufriedenheit",
                "kind": "likert",
                "text": "Wie zufrieden sind Sie mit den Online-Diensten der Stadt?",
                "scale": SATISFACTION,
            },
            {
                "id": "hinweise",
                "kind": "free_text",
                "text": "Was sollen wir noch wissen?",
                "required": False,
                "max_length": 1000,
            },
        ],
    },
    {
        "id": "offene-daten",
        "measure_id": "open-data-by-default",
        "pillar": "data_economy",
        "title": "Datenökonomie: Offene Daten standardmäßig",
        "description": "Welche Daten der Stadt möchten Sie nutzen, und wofür?",
        "questions": [
            {
                "id": "wichtigkeit",
                "kind": "likert_matrix",
                "text": "Wie wichtig sind Ihnen diese Daten?",
                "scale": IMPORTANCE,
                "statements": _options(
                    "verkehr",
                    "Verkehr und Baustellen",
                    "umwelt",
                    "Umwelt und Luftqualität",
                    "haushalt",
                    "Haushalt der Stadt",
                    "bauen",
                    "Bauen und Wohnen",
                ),
            },
            {
                "id": "nutzung",
                "kind": "single_choice",
                "text": "Nutzen Sie offene Daten der Stadt?",
                "options": _options(
                    "beruflich",
                    "Ja, beruflich",
                    "privat",
                    "Ja, privat",
                    "nein",
                    "Nein",
                ),
            },
            {
                "id": "wofuer",
                "kind": "free_text",
                "text": "Wofür nutzen Sie die Daten beruflich?",
                "max_length": 300,
                "condition": {"question": "nutzung", "option": "beruflich"},
            },
            {
                "id": "ki_plattform",
                "kind": "single_choice",
                "text": "Soll die Stadt eine eigene KI-Plattform aufbauen?",
                "options": _options("ja", "Ja", "nein", "Nein", "weiss_nicht", "Weiß nicht"),
            },
        ],
    },
    {
        "id": "smart-city-sensoren",
        "measure_id": "lorawan-sensornetz",
        "pillar": "smart_city",
        "title": "Smart City: Sensoren und offenes WLAN",
        "description": "Wo sollen LoRaWAN-Sensoren und städtisches WLAN zuerst hin?",
        "questions": [
            {
                "id": "reihenfolge",
                "kind": "ranking",
                "text": "Ordnen Sie die Vorhaben nach Wichtigkeit.",
                "options": _options(
                    "sensoren",
                    "LoRaWAN-Sensornetz",
                    "wlan",
                    "Städtisches WLAN und 5G",
                    "zwilling",
                    "Digitaler Zwilling",
                    "schulen",
                    "Smart Education",
                ),
            },
            {
                "id": "sensordaten_helfen",
                "kind": "likert",
                "text": "Sensordaten der Stadt helfen mir im Alltag.",
                "scale": AGREEMENT,
            },
            {
                "id": "orte",
                "kind": "multiple_choice",
                "text": "Wo sollen Sensoren zuerst hin? (höchstens zwei)",
                "max_choices": 2,
                "options": _options(
                    "rhein",
                    "Am Rheinufer",
                    "schulen",
                    "An Schulen",
                    "parks",
                    "In Parks",
                    "verkehr",
                    "An Verkehrsknoten",
                ),
            },
        ],
    },
]

EVENT = {
    "title": "KölnDigital-Workshop: Smart City im Veedel",
    "join_code": "KDW7PX",
    "surveys": ["smart-city-sensoren", "offene-daten"],
}


def question_rows(survey_id: str, specs: list[QuestionSpec]) -> list[Question]:
    """The table rows of a survey's questions."""
    return [
        Question(
            survey_id=survey_id,
            key=q.id,
            position=position,
            kind=q.kind,
            text=q.text,
            required=q.required,
            options=json.dumps([[o.id, o.label] for o in q.options]),
            statements=json.dumps([[s.id, s.label] for s in q.statements]),
            scale=q.scale.model_dump_json() if q.scale else None,
            max_choices=q.max_choices,
            max_length=q.max_length,
            condition_key=q.condition.question if q.condition else None,
            condition_option=q.condition.option if q.condition else None,
        )
        for position, q in enumerate(specs)
    ]


def seed_participation_if_empty(engine: Engine, now: datetime) -> bool:
    """Seed measures, surveys and the workshop when there are no measures yet; True if it did.

    Workers starting together on one database may race here: the loser's insert fails on the
    keys and it leaves the winner's rows alone.
    """
    with Session(engine) as session:
        if session.exec(select(Measure).limit(1)).first() is not None:
            return False
        for position, (pillar, slug, title, description, status) in enumerate(MEASURES):
            session.add(
                Measure(
                    id=slug,
                    pillar=pillar,
                    position=position,
                    title=title,
                    description=description,
                    status=status,
                )
            )
        session.flush()
        for item in SURVEYS:
            session.add(
                Survey(
                    id=item["id"],
                    measure_id=item["measure_id"],
                    pillar=item["pillar"],
                    title=item["title"],
                    description=item["description"],
                    opens_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=60),
                )
            )
            session.flush()
            specs = [QuestionSpec.model_validate(q) for q in item["questions"]]
            session.add_all(question_rows(item["id"], specs))
        event = Event(title=str(EVENT["title"]), join_code=str(EVENT["join_code"]), starts_at=now)
        session.add(event)
        session.flush()
        assert event.id is not None
        for position, survey_id in enumerate(EVENT["surveys"]):
            session.add(EventSurvey(event_id=event.id, survey_id=survey_id, position=position))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
        return True
