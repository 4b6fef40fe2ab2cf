"""`/data/<dataset>`: what a dataset is, its resources, a preview with chart, keep and share."""

from __future__ import annotations

from typing import Any

import flet as ft

from services.errors import NotFound, ServiceError
from services.open_data.ckan import Package, Resource
from services.open_data.csv_preview import Table
from services.open_data.favourites import Favourite
from services.open_data.previews import download_url, is_tabular, tabular_resource
from views.context import ScreenContext, refresh_control
from views.open_data.table import chart_view, preview_status, table_view
from views.widgets import error_text, heading, info_tile


def share_link(ctx: ScreenContext, package: Package) -> str:
    """Where this dataset opens in the app, for others (the app's public address if set)."""
    return f"{ctx.services.link_base}/data/{package.name}"


def build(ctx: ScreenContext, dataset: str) -> ft.Control:
    """The dataset from the cached catalogue (or the person's favourites, or the portal)."""
    _ = ctx._
    open_data = ctx.services.open_data
    favourite = open_data.favourites.get(ctx.person, dataset)
    package = open_data.cached_package(dataset) or (favourite.package if favourite else None)
    box = ft.Column(spacing=12)
    if package is not None:
        box.controls = dataset_page(ctx, package)
        return box

    async def fetch() -> None:
        try:
            found = await open_data.package(dataset)
        except ServiceError as exc:
            box.controls = [
                heading(_("Dataset")),
                ft.Text(
                    _("This dataset is not in the saved catalogue, and loading it did not work.")
                ),
                ft.Text(error_text(ctx, exc)),
                ft.OutlinedButton(
                    _("Back to the catalogue"), on_click=lambda _e: ctx.navigate("/data")
                ),
            ]
        else:
            box.controls = dataset_page(ctx, found)
        refresh_control(box)

    box.controls = [heading(_("Dataset")), ft.Text(_("Loading …"))]
    ctx.run_task(fetch)
    return box


def facts(ctx: ScreenContext, package: Package) -> list[ft.Control]:
    """Publisher, licence, last change, categories, source: each a labelled line."""
    _ = ctx._
    lines = []
    if package.organization and (package.organization.title or package.organization.name):
        lines.append((_("Publisher"), package.organization.title or package.organization.name))
    lines.append((_("Licence"), package.license_title or package.license_id or _("not given")))
    modified = package.modified_at
    lines.append(
        (_("Last changed"), ctx.tr.date(modified) if modified else _("not known")),
    )
    groups = [g.title or g.name for g in package.groups]
    if groups:
        lines.append((_("Category"), ", ".join(groups)))
    lines.append((_("Source"), f"{ctx.services.urls.ckan.rstrip('/')}/dataset/{package.name}"))
    return [ft.Text(f"{label}: {value}") for label, value in lines]


def dataset_page(ctx: ScreenContext, package: Package) -> list[ft.Control]:
    """Everything about one dataset."""
    _ = ctx._
    open_data = ctx.services.open_data
    chosen: dict[str, Any] = {"resource": tabular_resource(package), "table": None}
    preview = ft.Column(spacing=12)
    keep_row = ft.Row(wrap=True, spacing=12)

    def kept() -> Favourite | None:
        return open_data.favourites.get(ctx.person, package.id)

    def toggle(_e: Any) -> None:
        if ctx.person is None:
            return
        if kept() is not None:
            open_data.favourites.drop(ctx.person, package.id)
            ctx.show_message(_("Removed from your favourites."))
        else:
            resource = chosen["resource"]
            table: Table | None = chosen["table"]
            done = open_data.favourites.keep(
                ctx.person, package, table, resource.id if resource and table else None
            )
            ctx.show_message(
                _("Kept as a favourite: it opens offline too.")
                if done
                else _("You keep too many favourites; remove one first.")
            )
        draw_keep()

    def draw_keep() -> None:
        controls: list[ft.Control] = []
        if ctx.person is not None:  # a kiosk keeps nothing
            is_kept = kept() is not None
            controls.append(
                ft.OutlinedButton(
                    _("Remove from favourites") if is_kept else _("Keep as favourite"),
                    icon=ft.Icons.STAR if is_kept else ft.Icons.STAR_BORDER,
                    on_click=toggle,
                )
            )
        link = share_link(ctx, package)
        controls.append(
            ft.OutlinedButton(
                _("Copy link"),
                icon=ft.Icons.LINK,
                tooltip=link,
                on_click=lambda _e: ctx.page.run_task(copy, link),
            )
        )
        keep_row.controls = controls
        refresh_control(keep_row)

    async def copy(link: str) -> None:
        try:
            await ft.Clipboard().set(link)
        except Exception:  # no clipboard in this browser: the link is on the screen anyway
            ctx.show_message(link)
            return
        ctx.show_message(_("Link copied: {link}").format(link=link))

    def choose(resource: Resource) -> None:
        chosen["resource"] = resource
        chosen["table"] = None
        load()

    def load() -> None:
        resource: Resource | None = chosen["resource"]
        if resource is None:
            preview.controls = [
                ft.Text(_("This dataset has no table the app can show; its files are above."))
            ]
            refresh_control(preview)
            return
        preview.controls = [
            heading(_("Preview: {name}").format(name=resource.name or resource.id), level=2),
            ft.Text(_("Loading the table …")),
        ]
        refresh_control(preview)
        ctx.run_task(read, resource)

    async def read(resource: Resource) -> None:
        title = heading(_("Preview: {name}").format(name=resource.name or resource.id), level=2)
        try:
            kept_table = await open_data.preview(resource)
        except ServiceError as exc:
            favourite = kept()
            said = (
                _(
                    "The file is not at its address any more. The publisher may have moved "
                    "it; the portal's page of this dataset may have a newer link."
                )
                if isinstance(exc, NotFound)
                else error_text(ctx, exc)
            )
            controls: list[ft.Control] = [title, ft.Text(said)]
            if favourite and favourite.preview and favourite.resource_id == resource.id:
                controls.append(
                    ft.Text(
                        _("Shown as kept on {date}.").format(
                            date=ctx.tr.date_time(favourite.added_at)
                        )
                    )
                )
                controls.extend(shown(favourite.preview))
            else:
                controls.append(
                    ft.OutlinedButton(
                        _("Try again"), icon=ft.Icons.REFRESH, on_click=lambda _e: load()
                    )
                )
            preview.controls = controls
            refresh_control(preview)
            return
        table = kept_table.value
        chosen["table"] = table
        favourite = kept()
        if favourite is not None and ctx.person is not None:
            # the kept copy follows what the person just saw
            open_data.favourites.keep(ctx.person, package, table, resource.id)
        preview.controls = [
            title,
            ft.Text(
                _("Read {stamp}.").format(stamp=ctx.tr.stamp(kept_table.fetched_at, ctx.now()))
            ),
            *shown(table),
        ]
        refresh_control(preview)

    def shown(table: Table) -> list[ft.Control]:
        if table.is_empty:
            return [ft.Text(_("The table is empty."))]
        return [
            ft.Text(preview_status(ctx, table)),
            chart_view(ctx, table),
            table_view(ctx, table),
        ]

    resources = [
        info_tile(
            r.name or r.id,
            " · ".join(
                p
                for p in (
                    r.format or "",
                    _("shown below as a table") if is_tabular(r) else "",
                    download_url(ctx.services.urls.ckan, r) or "",
                )
                if p
            ),
            icon=ft.Icons.TABLE_VIEW if is_tabular(r) else ft.Icons.DESCRIPTION_OUTLINED,
            on_click=(lambda _e, r=r: choose(r)) if is_tabular(r) else None,
        )
        for r in package.resources
    ]
    draw_keep()
    load()
    synced = open_data.catalogue.synced_at()
    favourite = kept()
    if synced is not None and open_data.cached_package(package.id) is not None:
        age = _("From the catalogue as of {stamp}.").format(stamp=ctx.tr.stamp(synced, ctx.now()))
    elif favourite is not None:
        age = _("As kept on {date}.").format(date=ctx.tr.date_time(favourite.added_at))
    else:
        age = _("Loaded from the portal just now.")
    return [
        heading(package.title or package.name),
        ft.Text(age),
        keep_row,
        *facts(ctx, package),
        ft.Text(package.notes or _("The publisher gives no description.")),
        heading(_("Resources"), level=2),
        *(resources or [ft.Text(_("This dataset has no resources."))]),
        preview,
    ]
