"""Open data for the screens: the cached catalogue, shared previews, each person's favourites."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from services.clock import Clock
from services.local_store import LocalStore
from services.open_data.catalogue_store import CatalogueStore
from services.open_data.ckan import CkanClient, Package, Resource
from services.open_data.csv_preview import Table
from services.open_data.favourites import Favourites
from services.open_data.previews import read_preview
from services.shared_fetch import Kept, SharedFetches

PREVIEW_KEEP = timedelta(minutes=10)
PREVIEWS_KEPT = 24  # up to 200 rows each: a few MB at most

# what identifies a preview: the resource and where it is read from
PreviewKey = tuple[str, str | None, str | None, bool]


def preview_key(resource: Resource) -> PreviewKey:
    """The key of a resource's preview among the shared ones."""
    return (resource.id, resource.url, resource.format, bool(resource.datastore_active))


@dataclass
class OpenData:
    """The catalogue cache, dataset lookups, previews fetched once for all, favourites."""

    client: CkanClient
    catalogue: CatalogueStore
    favourites: Favourites
    previews: SharedFetches[PreviewKey, Table]

    async def package(self, name: str) -> Package:
        """A dataset from the portal (a deep link to one the cache does not hold yet)."""
        return await self.client.package_show(name)

    def cached_package(self, name: str) -> Package | None:
        """A dataset from the cached catalogue, by id or name."""
        return self.catalogue.package(name)

    async def preview(self, resource: Resource) -> Kept[Table]:
        """The first rows of `resource`, shared with everybody who asked in the last minutes."""
        return await self.previews.get(preview_key(resource))


def build_open_data(
    client: CkanClient,
    store: LocalStore,
    clock: Clock,
    *,
    ensure_person: Callable[[str], None],
) -> OpenData:
    """Open data over `client`, cached in `store`."""

    async def read(key: PreviewKey) -> Table:
        resource_id, url, format, datastore = key
        resource = Resource(id=resource_id, url=url, format=format, datastore_active=datastore)
        return await read_preview(client, resource)

    return OpenData(
        client=client,
        catalogue=CatalogueStore(store),
        favourites=Favourites(store, clock, ensure_person=ensure_person),
        previews=SharedFetches(read, clock, keep=PREVIEW_KEEP, most=PREVIEWS_KEPT),
    )
