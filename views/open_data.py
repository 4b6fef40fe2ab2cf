"""The city's open data catalogue (CKAN)."""

from __future__ import annotations

import flet as ft

from services.open_data.ckan import Package, PackageSearch
from views.context import ScreenContext
from views.widgets import heading, info_tile, resource_screen


def summary(package: Package) -> str:
    """Publisher and formats of a dataset."""
    formats = sorted({r.format for r in package.resources if r.format})
    publisher = package.organization.title if package.organization else ""
    return " · ".join(part for part in (publisher, ", ".join(formats)) if part)


def build(ctx: ScreenContext) -> ft.Control:
    """The newest datasets."""
    _ = ctx._

    def rows(data: PackageSearch) -> list[ft.Control]:
        return [
            info_tile(
                p.title or p.name,
                summary(p),
                icon=ft.Icons.TABLE_CHART_OUTLINED,
                on_click=lambda _e, name=p.name: ctx.navigate(f"/data/{name}"),
            )
            for p in data.results
        ]

    return resource_screen(
        ctx,
        _("Open data"),
        _("The newest datasets of the City of Cologne."),
        ctx.services.coordinators.datasets,
        rows,
        _("The catalogue has no datasets."),
    )


def build_dataset(ctx: ScreenContext, dataset: str) -> ft.Control:
    """One dataset, as far as the saved catalogue knows it."""
    _ = ctx._
    data = ctx.services.coordinators.datasets.state.data
    package = next((p for p in (data.results if data else []) if dataset in (p.name, p.id)), None)
    if package is None:
        return ft.Column(
            [heading(_("Dataset")), ft.Text(_("This dataset is not in the saved catalogue."))]
        )
    resources = [
        info_tile(r.name or r.id, r.format, icon=ft.Icons.DESCRIPTION_OUTLINED)
        for r in package.resources
    ]
    modified = package.modified_at
    return ft.Column(
        [
            heading(package.title or package.name),
            ft.Text(
                _("Last changed by the publisher on {date}").format(date=ctx.tr.date(modified))
                if modified
                else _("When the publisher last changed it is not known.")
            ),
            ft.Text(package.notes or ""),
            ft.Text(package.license_title or ""),
            *resources,
        ],
        spacing=12,
    )
