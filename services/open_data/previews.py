"""The first rows of a dataset's table: from the datastore if it has one, else its CSV file.

A preview is shared data: fetched once for everybody who opens the dataset in the next few
minutes (services/shared_fetch.py), and copied into a person's favourites when they keep it.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

from services.errors import BadData, NotFound, Rejected, TimedOut
from services.open_data.ckan import CkanClient, Package, Resource
from services.open_data.csv_preview import Table, preview_csv, table_from_datastore

PREVIEW_ROWS = 200
DEADLINE = 20.0  # seconds for a whole preview, however the server sends it
TABULAR_FORMATS = {"CSV", "TEXT/CSV", "TSV"}


def is_tabular(resource: Resource) -> bool:
    """Whether the app can show this resource as a table."""
    return bool(resource.datastore_active) or (resource.format or "").upper() in TABULAR_FORMATS


def tabular_resource(package: Package) -> Resource | None:
    """The resource a dataset's preview is read from: one in the datastore first, then a CSV."""
    ranked = sorted(
        (r for r in package.resources if is_tabular(r)),
        key=lambda r: not r.datastore_active,
    )
    return ranked[0] if ranked else None


def download_url(base_url: str, resource: Resource) -> str | None:
    """The resource's address, made absolute against the portal; None unless http(s)."""
    if not resource.url:
        return None
    url = urljoin(base_url.rstrip("/") + "/", resource.url.strip())
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


async def read_preview(client: CkanClient, resource: Resource) -> Table:
    """The first `PREVIEW_ROWS` rows of `resource` (raises a ServiceError if it cannot).

    However slowly a server trickles its file, the preview gives up after `DEADLINE` seconds.
    """
    try:
        async with asyncio.timeout(DEADLINE):
            return await _read(client, resource)
    except TimeoutError as exc:
        raise TimedOut(f"the preview of {resource.id} took longer than {DEADLINE} s") from exc


async def _read(client: CkanClient, resource: Resource) -> Table:
    url = download_url(client.base_url, resource)
    if resource.datastore_active:
        try:
            page = await client.datastore_search(resource.id, limit=PREVIEW_ROWS)
        except (NotFound, Rejected, BadData):
            if url is None or (resource.format or "").upper() not in TABULAR_FORMATS:
                raise
            # the portal lists a datastore it does not serve: its CSV file says the same
        else:
            return table_from_datastore(page)
    if url is None:
        raise BadData("the resource has no address to download it from")
    return await preview_csv(url, http=client.http, max_rows=PREVIEW_ROWS)
