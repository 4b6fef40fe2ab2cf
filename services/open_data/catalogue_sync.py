"""Copy the whole catalogue from the portal into the local FTS5 cache, page by page.

Runs as the `catalogue` coordinator's fetch: once for everybody, on the refresh schedule and
when somebody opens the open-data screen. What it returns (how many datasets, the display
names of the facet values) is small and cached like any other resource; the datasets
themselves live in `CatalogueStore`, where search works offline.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from pydantic import BaseModel, Field

from services.freshness import Freshness, untimed
from services.open_data.catalogue_store import CatalogueStore
from services.open_data.ckan import CkanClient, Package

PAGE_ROWS = 500  # CKAN serves at most 1000 rows a page; DKAN often fewer
MAX_DATASETS = 20_000  # a portal is a few thousand datasets: more means a loop somewhere


class CatalogueSummary(BaseModel):
    """What a sync found: how many datasets, and the names of the facet values to show."""

    count: int = Field(ge=0)
    # facet ("organization", "groups", "license") -> value -> the portal's display name
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)
    unreadable: int = 0  # datasets the portal sent that could not be read
    complete: bool = True  # False: the portal had more than MAX_DATASETS

    def freshness(self, now: datetime) -> Freshness:
        """A catalogue has no time of its own: only what could not be read counts."""
        return untimed(self.count, unreadable=self.unreadable)

    def label(self, facet: str, value: str) -> str:
        """The display name of a facet value, else the value itself."""
        return self.labels.get(facet, {}).get(value) or value


def labels_of(packages: list[Package]) -> dict[str, dict[str, str]]:
    """Display names of publishers, groups and licences, as the datasets name them."""
    labels: dict[str, dict[str, str]] = {"organization": {}, "groups": {}, "license": {}}
    for package in packages:
        if package.organization and package.organization.name:
            labels["organization"][package.organization.name] = (
                package.organization.title or package.organization.name
            )
        for group in package.groups:
            if group.name:
                labels["groups"][group.name] = group.title or group.name
        if package.license_id:
            labels["license"][package.license_id] = package.license_title or package.license_id
    return labels


async def sync_catalogue(
    client: CkanClient, store: CatalogueStore, now: datetime
) -> CatalogueSummary:
    """Read every dataset (sorted by name, so pages do not shift) and replace the cache."""
    packages: list[Package] = []
    unreadable = 0
    start = 0
    total = 0
    while start < MAX_DATASETS:
        page = await client.package_search(rows=PAGE_ROWS, start=start, sort="name asc")
        total = page.count
        packages.extend(page.results)
        unreadable += len(page.problems)
        got = len(page.results) + len(page.problems)
        start += got
        if got == 0 or start >= total:
            break
    complete = start >= total
    # only a complete read may drop what the portal no longer lists
    # off the event loop: thousands of rows must not stall the screens of everybody else
    await asyncio.to_thread(store.upsert, packages, synced_at=now, complete=complete)
    return CatalogueSummary(
        count=store.count(),
        labels=labels_of(packages),
        unreadable=unreadable,
        complete=complete,
    )
