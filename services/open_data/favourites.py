"""A person's favourite datasets, kept with their preview rows so they open offline.

Per person, like tickets and appointments: nobody else sees them, "delete my data" removes
them, and a kiosk (no person) keeps none. The dataset's description and the first rows of its
preview are copied at the moment it is kept, so it can be opened with no connection at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.clock import Clock
from services.local_store import LocalStore, from_db, to_db
from services.open_data.ckan import Package
from services.open_data.csv_preview import Column, Table

MAX_FAVOURITES = 200  # per person: a list to look through, not an archive
MAX_KEPT_ROWS = 200  # preview rows kept with a favourite


@dataclass(frozen=True)
class Favourite:
    """One kept dataset: its description, maybe its preview, and when it was kept."""

    package: Package
    preview: Table | None
    resource_id: str | None  # the resource the preview was read from
    added_at: datetime


def table_to_json(table: Table) -> str:
    """A preview as JSON (dates as ISO text; their column's kind says how to read them back)."""

    def cell(value: Any) -> Any:
        return value.isoformat() if isinstance(value, date | datetime) else value

    return json.dumps(
        {
            "columns": [{"name": c.name, "kind": c.kind} for c in table.columns],
            "rows": [[cell(v) for v in row] for row in table.rows[:MAX_KEPT_ROWS]],
            "truncated": table.truncated or len(table.rows) > MAX_KEPT_ROWS,
            "total": table.total,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
        },
        ensure_ascii=False,
    )


def table_from_json(text: str) -> Table:
    """A preview written by `table_to_json`."""
    raw = json.loads(text)
    columns = [Column(c["name"], c["kind"]) for c in raw["columns"]]

    def cell(kind: str, value: Any) -> Any:
        if kind == "date" and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            return moment.date() if len(value) <= len("2026-11-30") else moment
        return value

    rows = [
        [cell(column.kind, value) for column, value in zip(columns, row, strict=False)]
        for row in raw["rows"]
    ]
    return Table(
        columns=columns,
        rows=rows,
        truncated=bool(raw.get("truncated")),
        total=raw.get("total"),
        encoding=raw.get("encoding"),
        delimiter=raw.get("delimiter"),
    )


class Favourites:
    """Each person's kept datasets."""

    def __init__(
        self, store: LocalStore, clock: Clock, *, ensure_person: Callable[[str], None]
    ) -> None:
        self._store = store
        self._clock = clock
        self._ensure_person = ensure_person

    def keep(
        self,
        person: str,
        package: Package,
        preview: Table | None = None,
        resource_id: str | None = None,
    ) -> bool:
        """Keep (or update) a dataset for `person`; False if they keep too many already."""
        self._ensure_person(person)
        with self._store.transaction() as db:
            count = db.execute(
                "SELECT COUNT(*) FROM favouritedataset WHERE person_id = ? AND package_id != ?",
                (person, package.id),
            ).fetchone()[0]
            if count >= MAX_FAVOURITES:
                return False
            db.execute(
                "INSERT INTO favouritedataset "
                "(person_id, package_id, package, preview, resource_id, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, package_id) DO UPDATE SET "
                "package = excluded.package, preview = COALESCE(excluded.preview, preview), "
                "resource_id = COALESCE(excluded.resource_id, resource_id)",
                (
                    person,
                    package.id,
                    package.model_dump_json(),
                    table_to_json(preview) if preview is not None else None,
                    resource_id,
                    to_db(self._clock.now()),
                ),
            )
        return True

    def drop(self, person: str, package_id: str) -> bool:
        """Forget one of `person`'s favourites (by id or name); False if it was not kept."""
        favourite = self.get(person, package_id)
        if favourite is None:
            return False
        with self._store.transaction() as db:
            db.execute(
                "DELETE FROM favouritedataset WHERE person_id = ? AND package_id = ?",
                (person, favourite.package.id),
            )
        return True

    def get(self, person: str | None, package_id: str) -> Favourite | None:
        """One favourite of `person`, by the dataset's id or name."""
        if person is None:
            return None
        return next(
            (f for f in self.of(person) if package_id in (f.package.id, f.package.name)), None
        )

    def of(self, person: str | None) -> list[Favourite]:
        """All of `person`'s favourites, the newest first; a kiosk (None) has none."""
        if person is None:
            return []
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT package, preview, resource_id, added_at FROM favouritedataset "
                "WHERE person_id = ? ORDER BY added_at DESC, id DESC",
                (person,),
            ).fetchall()
        kept = []
        for row in rows:
            try:
                preview = table_from_json(row["preview"]) if row["preview"] else None
                package = Package.model_validate_json(row["package"])
            except (ValueError, KeyError, TypeError):
                continue  # a damaged row hides itself rather than the whole list
            kept.append(Favourite(package, preview, row["resource_id"], from_db(row["added_at"])))
        return kept
