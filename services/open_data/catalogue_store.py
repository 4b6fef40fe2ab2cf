"""The city's data catalogue kept in the local store, searchable offline with SQLite FTS5.

The catalogue is shared data (it belongs to the app, not to a person): one sync writes every
package, and every session searches the same tables. The tables live in the app's one SQLite
file (services/local_store.py) but are created and versioned here, because they are a cache
that can always be fetched again: a catalogue schema of another version is simply rebuilt.
Favourites are a person's data and will live in a table of their own keyed by person and
package id (with their preview rows); nothing here deletes or renumbers what they refer to
except a package the portal itself no longer lists.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic_core import to_json

from services.checked import check
from services.errors import BadData
from services.local_store import LocalStore, from_db, to_db
from services.open_data.ckan import Package

log = logging.getLogger(__name__)

CATALOGUE_VERSION = 2
FACETS = ("organization", "groups", "formats", "license")
MAX_PAGE = 200
MAX_QUERY_WORDS = 12  # a search box, not a document: more words only slow FTS down
WORD = re.compile(r"[^\W_]+")  # FTS5's unicode61 splits at "_" as well
# "Koeln", "Strasse": the umlaut-free spellings people type; FTS5 folds "ö" to "o" itself
SPELLINGS = (("ae", "a"), ("oe", "o"), ("ue", "u"), ("ss", "ß"))
# bm25 weights per FTS column: a hit in the title counts most
WEIGHTS = "10.0, 1.0, 5.0, 3.0"

Order = Literal["relevance", "modified", "title"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalogue_meta (
    key TEXT PRIMARY KEY, value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS catalogue_package (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL,
    organization TEXT NOT NULL,
    organization_title TEXT NOT NULL,
    groups TEXT NOT NULL,
    tags TEXT NOT NULL,
    formats TEXT NOT NULL,
    license TEXT NOT NULL,
    modified TEXT,
    raw TEXT NOT NULL,
    synced_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_catalogue_package_modified ON catalogue_package (modified);
CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_fts USING fts5(
    title, notes, tags, organization_title,
    content = 'catalogue_package', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
)
"""
TABLES = ("catalogue_fts", "catalogue_package", "catalogue_meta")

UPSERT = """
INSERT INTO catalogue_package (
    id, name, title, notes, organization, organization_title, groups, tags, formats, license,
    modified, raw, synced_at
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    name = excluded.name, title = excluded.title, notes = excluded.notes,
    organization = excluded.organization, organization_title = excluded.organization_title,
    groups = excluded.groups, tags = excluded.tags, formats = excluded.formats,
    license = excluded.license, modified = excluded.modified, raw = excluded.raw,
    synced_at = excluded.synced_at
"""
FTS_COLUMNS = "title, notes, tags, organization_title"
# An external-content index must be told a row's old words before the row changes.
FTS_FORGET = f"""
INSERT INTO catalogue_fts (catalogue_fts, rowid, {FTS_COLUMNS})
SELECT 'delete', rowid, {FTS_COLUMNS} FROM catalogue_package
"""
FTS_LEARN = f"""
INSERT INTO catalogue_fts (rowid, {FTS_COLUMNS})
SELECT rowid, {FTS_COLUMNS} FROM catalogue_package WHERE id IN (SELECT value FROM json_each(?))
"""


@dataclass(frozen=True)
class CatalogueEntry:
    """One dataset as the catalogue lists it."""

    id: str
    name: str
    title: str
    notes: str
    organization: str
    organization_title: str
    groups: list[str]
    tags: list[str]
    formats: list[str]
    license: str
    modified: datetime | None


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet among the hits, and how many hits carry it."""

    value: str
    count: int


@dataclass(frozen=True)
class CataloguePage:
    """One page of hits, how many there are in all, facet counts and the catalogue's age."""

    entries: list[CatalogueEntry]
    count: int
    offset: int
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    synced_at: datetime | None = None


def fts_query(text: str) -> str:
    """User input as a safe FTS5 query: every word a quoted prefix term, all required.

    Quotes, `AND`/`OR`/`NEAR`, `*`, `^`, `:` and brackets never reach FTS5 as syntax; an
    empty result means "no words" (list everything).
    """
    return " AND ".join(_term(word) for word in WORD.findall(text)[:MAX_QUERY_WORDS])


def _term(word: str) -> str:
    """One word as a prefix term; "koeln" also as "köln", "strasse" as "straße", "ß" as "ss"."""
    spellings = [word]
    folded = word.lower()
    for typed, meant in SPELLINGS:
        folded = folded.replace(typed, meant)
    if "ß" in word:
        spellings.append(word.replace("ß", "ss"))
    elif folded != word.lower():
        spellings.append(folded)
    if len(spellings) == 1:
        return f'"{word}"*'
    return "(" + " OR ".join(f'"{spelling}"*' for spelling in spellings) + ")"


def _modified(text: str | None) -> str | None:
    """CKAN's naive-UTC ISO time as stored (text order is time order); None if unreadable."""
    if not text:
        return None
    if len(text) == 26 and text[10] == "T":  # CKAN's usual form: naive UTC with microseconds
        return text.replace("T", " ")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return to_db(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _row(package: Package, raw: str, synced: str) -> tuple[Any, ...]:
    """A package as a row of `catalogue_package` (the column order of UPSERT)."""
    organization = package.organization
    title = package.title or package.name
    notes = package.notes or ""
    publisher = (organization.title or organization.name) if organization else ""
    return (
        package.id,
        package.name,
        title,
        notes,
        organization.name if organization else "",
        publisher,
        to_json(sorted({g.name for g in package.groups if g.name})).decode(),
        to_json([t.name for t in package.tags]).decode(),
        to_json(sorted({r.format.upper() for r in package.resources if r.format})).decode(),
        package.license_id or "",
        _modified(package.metadata_modified),
        raw,
        synced,
    )


class CatalogueStore:
    """The cached catalogue: bulk sync, full-text search with facets, paging and its age."""

    def __init__(self, store: LocalStore) -> None:
        self._store = store
        self._prepare()

    def _prepare(self) -> None:
        with self._store.transaction() as db:
            try:
                version = _version(db)
            except sqlite3.DatabaseError as exc:
                log.warning("catalogue cache unreadable (%s); rebuilding it", exc)
                version = None
            if version != CATALOGUE_VERSION:
                for table in TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(
                "INSERT OR REPLACE INTO catalogue_meta (key, value) VALUES ('version', ?)",
                (str(CATALOGUE_VERSION),),
            )

    def upsert(
        self,
        packages: Iterable[Package | Mapping[str, Any]],
        *,
        synced_at: datetime,
        complete: bool = False,
    ) -> int:
        """Write many packages in one transaction; `complete`: drop those not among them."""
        synced = to_db(synced_at)
        rows: dict[str, tuple[Any, ...]] = {}  # by id: the last of a repeated package wins
        for item in packages:
            if isinstance(item, Package):
                package, raw = item, item.model_dump_json()
            else:
                package = check(Package, item, "catalogue package")
                raw = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            rows[package.id] = _row(package, raw, synced)
        ids = json.dumps(list(rows), ensure_ascii=False)
        with self._store.transaction() as db:
            db.execute(f"{FTS_FORGET} WHERE id IN (SELECT value FROM json_each(?))", (ids,))
            db.executemany(UPSERT, rows.values())
            db.execute(FTS_LEARN, (ids,))
            if complete:
                db.execute(f"{FTS_FORGET} WHERE synced_at != ?", (synced,))
                db.execute("DELETE FROM catalogue_package WHERE synced_at != ?", (synced,))
            db.execute(
                "INSERT OR REPLACE INTO catalogue_meta (key, value) VALUES ('synced_at', ?)",
                (synced,),
            )
        return len(rows)

    def synced_at(self) -> datetime | None:
        """When the catalogue was last written (for "Stand: …"), or None if never."""
        with self._store.transaction() as db:
            row = db.execute("SELECT value FROM catalogue_meta WHERE key = 'synced_at'").fetchone()
        return from_db(row[0]) if row else None

    def count(self) -> int:
        """How many packages the cache holds."""
        with self._store.transaction() as db:
            return int(db.execute("SELECT COUNT(*) FROM catalogue_package").fetchone()[0])

    def search(
        self,
        text: str = "",
        *,
        organization: str | None = None,
        group: str | None = None,
        format: str | None = None,
        license: str | None = None,
        order: Order = "relevance",
        limit: int = 20,
        offset: int = 0,
        facets: bool = False,
    ) -> CataloguePage:
        """Hits for `text` (every word a prefix; umlauts and accents optional), filtered."""
        limit = max(0, min(limit, MAX_PAGE))
        offset = max(0, offset)
        where, params = _where(fts_query(text), organization, group, format, license)
        matched = bool(fts_query(text))
        if order == "relevance" and matched:
            order_by = f"bm25(catalogue_fts, {WEIGHTS}), p.modified DESC"
        elif order == "title":
            order_by = "p.title COLLATE NOCASE"
        else:
            order_by = "p.modified DESC"
        source = (
            "catalogue_fts JOIN catalogue_package AS p ON p.rowid = catalogue_fts.rowid"
            if matched
            else "catalogue_package AS p"
        )
        try:
            with self._store.transaction() as db:
                rows = db.execute(
                    f"SELECT p.* FROM {source} WHERE {where} ORDER BY {order_by} LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                ).fetchall()
                count = db.execute(f"SELECT COUNT(*) FROM {source} WHERE {where}", params)
                total = int(count.fetchone()[0])
                counts = _facet_counts(db, source, where, params) if facets else {}
                stamp = db.execute(
                    "SELECT value FROM catalogue_meta WHERE key = 'synced_at'"
                ).fetchone()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as exc:
            # a damaged index: the cache is rebuilt empty and fetched again by the next sync
            log.warning("catalogue cache damaged (%s); rebuilding it", exc)
            self.reset()
            raise BadData("the cached catalogue was damaged and has been cleared") from exc
        return CataloguePage(
            entries=[_entry(row) for row in rows],
            count=total,
            offset=offset,
            facets=counts,
            synced_at=from_db(stamp[0]) if stamp else None,
        )

    def package(self, package_id: str) -> Package | None:
        """The whole cached package (with its resources), by id or name."""
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT raw FROM catalogue_package WHERE id = ? OR name = ? LIMIT 1",
                (package_id, package_id),
            ).fetchone()
        if row is None:
            return None
        return Package.model_validate_json(row[0])

    def reset(self) -> None:
        """Forget the whole catalogue (and rebuild its empty tables)."""
        with self._store.transaction() as db:
            for table in TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
        self._prepare()


def _version(db: sqlite3.Connection) -> int | None:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalogue_meta'"
    ).fetchone()
    if not exists:
        return None
    row = db.execute("SELECT value FROM catalogue_meta WHERE key = 'version'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else None


def _where(
    match: str,
    organization: str | None,
    group: str | None,
    format: str | None,
    license: str | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if match:
        clauses.append("catalogue_fts MATCH ?")
        params.append(match)
    if organization:
        clauses.append("p.organization = ?")
        params.append(organization)
    if license:
        clauses.append("p.license = ?")
        params.append(license)
    if group:
        clauses.append("EXISTS (SELECT 1 FROM json_each(p.groups) WHERE value = ?)")
        params.append(group)
    if format:
        clauses.append("EXISTS (SELECT 1 FROM json_each(p.formats) WHERE value = ?)")
        params.append(format.upper())
    return " AND ".join(clauses) or "1", params


def _facet_counts(
    db: sqlite3.Connection, source: str, where: str, params: list[Any]
) -> dict[str, list[FacetCount]]:
    hits = f"SELECT p.rowid AS id FROM {source} WHERE {where}"
    counts: dict[str, list[FacetCount]] = {}
    for name in FACETS:
        if name in ("groups", "formats"):
            sql = (
                f"SELECT j.value, COUNT(*) AS n"
                f" FROM catalogue_package AS q, json_each(q.{name}) AS j"
                f" WHERE q.rowid IN ({hits}) GROUP BY j.value ORDER BY n DESC, j.value"
            )
        else:
            sql = (
                f"SELECT q.{name}, COUNT(*) AS n FROM catalogue_package AS q"
                f" WHERE q.rowid IN ({hits}) AND q.{name} != ''"
                f" GROUP BY q.{name} ORDER BY n DESC, q.{name}"
            )
        counts[name] = [FacetCount(value, n) for value, n in db.execute(sql, params)]
    return counts


def _entry(row: sqlite3.Row) -> CatalogueEntry:
    return CatalogueEntry(
        id=row["id"],
        name=row["name"],
        title=row["title"],
        notes=row["notes"],
        organization=row["organization"],
        organization_title=row["organization_title"],
        groups=json.loads(row["groups"]),
        tags=json.loads(row["tags"]),
        formats=json.loads(row["formats"]),
        license=row["license"],
        modified=from_db(row["modified"]) if row["modified"] else None,
    )
