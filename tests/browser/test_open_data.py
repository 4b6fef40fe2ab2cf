"""A citizen searches the catalogue, opens a dataset, reads its table and chart, keeps it as a
favourite and finds it again with the backend gone; nobody else sees the favourite."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.embedded_backend import free_port
from tests.browser.conftest import (
    AppPage,
    RunningApp,
    goto,
    open_app,
    settle,
    shown,
    snap,
    type_into,
)

pytestmark = pytest.mark.browser

DATASET = "Kfz-Zulassungen je Jahr"


@dataclass(frozen=True)
class Words:
    """What the screens say, in one language."""

    locale: str
    search: str
    found: str
    more: str
    more_again: str
    one_found: str
    category: str
    traffic: str
    publisher: str
    sort_by: str
    ascending: str
    descending: str
    chart: str
    keep: str
    kept: str
    remove: str
    favourites: str
    kept_on: str
    shown_as_kept: str
    offline: str


GERMAN = Words(
    locale="de",
    search="Datensätze suchen",
    found=r"\d+ Datensätze gefunden",
    one_found="1 Datensatz gefunden",
    more=r"Mehr zeigen \(20 von \d+\)",
    more_again=r"Mehr zeigen \(40 von \d+\)",
    category="Kategorie: Alle",
    traffic="Verkehr",
    publisher="Herausgeber: Bürgeramt und Amt für öffentliche Ordnung",
    sort_by="Nach Anzahl sortieren",
    ascending="sortiert nach Anzahl, aufsteigend",
    descending="sortiert nach Anzahl, absteigend",
    chart="Personenkraftwagen: von 420.016 bis 450.024",
    keep="Als Favorit merken",
    kept="Als Favorit gemerkt",
    remove="Aus den Favoriten entfernen",
    favourites="Ihre Favoriten",
    kept_on="Gemerkt am",
    shown_as_kept="Angezeigt wie gemerkt am",
    offline="Offline: Der Dienst ist nicht erreichbar.",
)
ENGLISH = Words(
    locale="en",
    search="Search datasets",
    found=r"\d+ datasets found",
    one_found="1 dataset found",
    more=r"Show more \(20 of \d+\)",
    more_again=r"Show more \(40 of \d+\)",
    category="Category: All",
    traffic="Verkehr",  # the portal's own names stay as the portal gives them
    publisher="Publisher: Bürgeramt und Amt für öffentliche Ordnung",
    sort_by="Sort by Anzahl",
    ascending="sorted by Anzahl, ascending",
    descending="sorted by Anzahl, descending",
    chart="Personenkraftwagen: from 420,016 to 450,024",
    keep="Keep as favourite",
    kept="Kept as a favourite",
    remove="Remove from favourites",
    favourites="Your favourites",
    kept_on="Kept on",
    shown_as_kept="Shown as kept on",
    offline="Offline: the service cannot be reached.",
)


def find_and_open(page: Page, words: Words) -> None:
    expect(shown(page, re.compile(words.found))).to_be_visible()
    page.get_by_role("button", name=re.compile(words.more)).click()  # the next page of hits
    expect(page.get_by_role("button", name=re.compile(words.more_again))).to_be_visible()
    page.get_by_role("button", name=words.category).click()
    settle(page)  # the filter unfolds: tap its choice once it stands still
    page.get_by_role("radio", name=re.compile(re.escape(words.traffic) + r" \(\d+\)")).click()
    expect(page.get_by_role("button", name=re.compile(": " + words.traffic))).to_be_visible()
    type_into(page, words.search, "kfz zulass")
    expect(shown(page, words.one_found)).to_be_visible()
    settle(page)
    page.get_by_role("button", name=re.compile("^" + re.escape(DATASET))).click()
    expect(page).to_have_url(re.compile(r"/data/kfz-zulassungen$"))


@pytest.mark.parametrize("words", [GERMAN, ENGLISH], ids=lambda w: w.locale)
def test_search_open_chart_sort_keep_and_find_it_offline(
    app_factory: Callable[..., RunningApp],
    new_person: Callable[[], BrowserContext],
    words: Words,
) -> None:
    port = free_port()
    app = app_factory("--locale", words.locale, port=port)
    anna = new_person()
    page = open_app(anna, app.url + "data", height=1600).page  # with the table in view
    find_and_open(page, words)

    expect(page.get_by_text(words.publisher)).to_be_visible()
    expect(page.get_by_text(words.chart)).to_be_visible()  # the chart's gist in words
    page.get_by_role("columnheader", name=words.sort_by).click()
    expect(shown(page, words.ascending)).to_be_visible()
    page.get_by_role("columnheader", name=words.sort_by).click()
    expect(shown(page, words.descending)).to_be_visible()
    snap(page, f"dataset-{words.locale}.png")

    page.get_by_role("button", name=words.keep).click()
    expect(page.get_by_text(words.kept, exact=False)).to_be_visible()
    expect(page.get_by_role("button", name=words.remove)).to_be_visible()
    goto(page, app.url + "data")
    expect(page.get_by_text(words.favourites)).to_be_visible()
    kept = re.compile("^" + re.escape(DATASET) + ".*" + words.kept_on)  # the tile, not a hit
    expect(page.get_by_role("button", name=kept)).to_be_visible()
    snap(page, f"data-{words.locale}.png")

    # somebody else on the same app sees no favourite of Anna's
    bert = open_app(new_person(), app.url + "data").page
    expect(shown(bert, re.compile(words.found))).to_be_visible()
    expect(bert.get_by_text(words.favourites)).to_have_count(0)

    # the backend is gone: the search works on the saved catalogue, the favourite keeps its rows
    app.stop()
    dead = f"http://127.0.0.1:{free_port()}"
    app_factory("--locale", words.locale, "--backend", dead, port=port, data_dir=app.data_dir)
    goto(page, app.url + "data")
    expect(page.get_by_text(words.favourites)).to_be_visible()
    type_into(page, words.search, "kfz")
    page.get_by_role("button", name=re.compile("^" + re.escape(DATASET))).last.click()
    expect(page.get_by_text(words.offline).first).to_be_visible()
    expect(page.get_by_text(words.shown_as_kept, exact=False)).to_be_visible()
    expect(page.get_by_text(words.chart)).to_be_visible()
    expect(page.get_by_role("columnheader", name=words.sort_by)).to_be_visible()


def test_dataset_links_open_for_somebody_new_a_huge_file_and_an_unknown_one(
    app_factory: Callable[..., RunningApp], open_page: Callable[..., AppPage]
) -> None:
    app = app_factory()
    page = open_page(app.url + "data/museen-besucher").page
    expect(page.get_by_text("Besucherinnen und Besucher der städtischen Museen")).to_be_visible()
    expect(page.get_by_role("button", name="Link kopieren")).to_be_visible()
    goto(page, app.url + "data/verkehrszaehlung-rohdaten")  # 200,000 rows: only the first read
    expect(page.get_by_text("Die ersten 200 Zeilen; die Datei hat mehr.")).to_be_visible()
    goto(page, app.url + "data/gibt-es-nicht")
    expect(page.get_by_text("nicht im gespeicherten Katalog", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Zurück zum Katalog")).to_be_visible()
