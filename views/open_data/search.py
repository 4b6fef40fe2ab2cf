"""`/data`: search the cached catalogue with facets, page by page; the person's favourites."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import flet as ft

from services.errors import BadData
from services.i18n import N_
from services.open_data.catalogue_store import CatalogueEntry, CataloguePage
from services.open_data.catalogue_sync import CatalogueSummary
from views.context import ScreenContext, refresh_control
from views.widgets import (
    MIN_TOUCH,
    error_text,
    freshness_notice,
    heading,
    info_tile,
    radio_group,
    refresh_button,
)

log = logging.getLogger(__name__)

MAX_QUERY = 200  # characters of a search: more is no search
PAGE = 20  # hits shown at first and added by "Show more"
ALL = ""  # the radio value of "no filter"

# facet (as the catalogue store names it) -> its heading
FACET_NAMES = {
    "groups": N_("Category"),
    "organization": N_("Publisher"),
    "formats": N_("Format"),
    "license": N_("Licence"),
}


@dataclass
class Search:
    """What a person searched for; kept while the session lasts (back from a dataset)."""

    text: str = ""
    filters: dict[str, str] = field(default_factory=dict)  # facet -> chosen value
    shown: int = PAGE


def entry_line(ctx: ScreenContext, entry: CatalogueEntry) -> str:
    """Publisher, formats and last change of a dataset, for its row in a list."""
    parts = [entry.organization_title, ", ".join(entry.formats)]
    if entry.modified:
        parts.append(ctx._("changed {date}").format(date=ctx.tr.date(entry.modified)))
    return " · ".join(p for p in parts if p)


def facet_label(summary: CatalogueSummary | None, facet: str, value: str) -> str:
    """The display name of a facet value (a group's title, a publisher's name)."""
    return summary.label(facet, value) if summary else value


def build(ctx: ScreenContext) -> ft.Control:
    """Search box, filters by category, publisher, format and licence, hits, favourites."""
    _ = ctx._
    services = ctx.services
    coordinator = services.coordinators.catalogue
    search: Search = ctx.drafts.setdefault("data_search", Search())
    body = ft.Column(spacing=12)
    top = ft.Container()

    def run() -> CataloguePage | str:
        values = search.filters
        try:
            return services.open_data.catalogue.search(
                search.text,
                group=values.get("groups") or None,
                organization=values.get("organization") or None,
                format=values.get("formats") or None,
                license=values.get("license") or None,
                limit=search.shown,
                facets=True,
            )
        except BadData as exc:
            coordinator.request_refresh(force=True)  # a damaged cache is fetched again
            return error_text(ctx, exc)
        except Exception:  # the screen stays usable, whatever the store says
            log.exception("catalogue search failed")
            return _("The search did not work. Please try again.")

    def choose(facet: str, value: str) -> None:
        search.filters[facet] = value
        search.shown = PAGE
        redraw()

    def filters(page: CataloguePage, summary: CatalogueSummary | None) -> list[ft.Control]:
        tiles: list[ft.Control] = []
        for facet, name in FACET_NAMES.items():
            chosen = search.filters.get(facet, ALL)
            counts = page.facets.get(facet, [])
            choices = [(ALL, _("All"))] + [
                (c.value, f"{facet_label(summary, facet, c.value)} ({c.count})") for c in counts
            ]
            if chosen and chosen not in {c.value for c in counts}:
                choices.append((chosen, f"{facet_label(summary, facet, chosen)} (0)"))
            shown = facet_label(summary, facet, chosen) if chosen else _("All")
            tiles.append(
                ft.ExpansionTile(
                    col={"xs": 12, "md": 6},
                    title=ft.Text(f"{_(name)}: {shown}"),
                    controls=[
                        radio_group(
                            _(name),
                            choices,
                            chosen,
                            lambda value, facet=facet: choose(facet, value),
                            scale=ctx.text_scale,
                            across=True,
                        )
                    ],
                    maintain_state=True,
                    # a touch target's height, not a list row's: one line grows with the text
                    min_tile_height=MIN_TOUCH,
                )
            )
        return [ft.ResponsiveRow(tiles, spacing=8, run_spacing=0)]

    def hits(page: CataloguePage) -> list[ft.Control]:
        rows: list[ft.Control] = [
            info_tile(
                e.title or e.name,
                entry_line(ctx, e),
                icon=ft.Icons.TABLE_CHART_OUTLINED,
                on_click=lambda _e, name=e.name: ctx.navigate(f"/data/{name}"),
            )
            for e in page.entries
        ]
        if page.count > len(page.entries):
            rows.append(
                ft.OutlinedButton(
                    _("Show more ({shown} of {count})").format(
                        shown=len(page.entries), count=page.count
                    ),
                    icon=ft.Icons.EXPAND_MORE,
                    on_click=lambda _e: more(),
                )
            )
        return rows

    def more() -> None:
        search.shown += PAGE
        redraw()

    def render() -> list[ft.Control]:
        state = coordinator.state
        result = run()
        controls: list[ft.Control] = [freshness_notice(ctx, state)]
        if isinstance(result, str):
            return [*controls, ft.Text(result)]
        if result.count == 0 and not search.text and not any(search.filters.values()):
            if state.data is not None or state.last_error is not None:
                controls.append(ft.Text(_("The catalogue has no datasets yet.")))
            return controls
        found = ctx.tr.ngettext("{n} dataset found", "{n} datasets found", result.count).format(
            n=result.count
        )
        changed = ctx.announced.get("data_hits") != result.count
        ctx.announced["data_hits"] = result.count
        controls.extend(filters(result, state.data))
        controls.append(
            ft.Semantics(live_region=changed, content=ft.Text(found, weight=ft.FontWeight.BOLD))
        )
        if result.count == 0:
            controls.append(
                ft.Text(_("Nothing matches. Try fewer or other words, or remove a filter."))
            )
        controls.extend(hits(result))
        return controls

    def redraw() -> None:
        top.content = favourites_section(ctx)
        body.controls = render()
        refresh_control(top)
        refresh_control(body)

    def submit(event: ft.Event[ft.TextField]) -> None:
        search.text = (event.control.value or "").strip()[:MAX_QUERY]
        search.shown = PAGE
        redraw()

    box = ft.TextField(
        label=_("Search datasets"),
        hint_text=_("For example Parkhaus, Luft or Einwohner"),
        value=search.text,
        prefix_icon=ft.Icons.SEARCH,
        on_submit=submit,
        on_change=submit,
        expand=True,
    )
    ctx.on_leave(coordinator.subscribe(redraw))
    coordinator.request_refresh()
    body.controls = render()
    top.content = favourites_section(ctx)
    return ft.Column(
        [
            ft.Row([heading(_("Open data")), refresh_button(ctx, coordinator)], wrap=True),
            ft.Text(
                _(
                    "Datasets of the City of Cologne: search them, look into their tables "
                    "and keep what you need. The search works offline too."
                )
            ),
            top,
            ft.Row([box]),
            body,
        ],
        spacing=12,
    )


def favourites_section(ctx: ScreenContext) -> ft.Control:
    """The person's kept datasets (none on a kiosk)."""
    _ = ctx._
    kept = ctx.services.open_data.favourites.of(ctx.person)
    if not kept:
        return ft.Column([])
    return ft.Column(
        [
            heading(_("Your favourites"), level=2),
            *[
                info_tile(
                    f.package.title or f.package.name,
                    _("Kept on {date}").format(date=ctx.tr.date(f.added_at))
                    + (" · " + _("with table") if f.preview is not None else ""),
                    icon=ft.Icons.STAR,
                    on_click=lambda _e, name=f.package.name: ctx.navigate(f"/data/{name}"),
                )
                for f in kept
            ],
        ],
        spacing=4,
    )
