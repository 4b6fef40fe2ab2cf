"""CSV previews: encodings, separators, decimal commas, and never more than the first rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from services.errors import BadData, NotFound
from services.open_data.chart_choice import chart_points, choose_chart, is_year_column
from services.open_data.ckan import DatastoreField, DatastorePage
from services.open_data.csv_preview import (
    Table,
    parse_number,
    preview_csv,
    read_csv,
    table_from_datastore,
)

GERMAN = (
    "Stadtteil;Datum;Einwohner;Anteil\nNippes;31.12.2025;1.234;12,5\nKalk;31.12.2024;987;3,25\n"
)


def test_utf8_semicolon_decimal_comma() -> None:
    table = read_csv(GERMAN.encode())
    assert table.delimiter == ";" and table.encoding == "utf-8"
    assert [(c.name, c.kind) for c in table.columns] == [
        ("Stadtteil", "text"),
        ("Datum", "date"),
        ("Einwohner", "number"),
        ("Anteil", "number"),
    ]
    assert table.rows[0] == ["Nippes", date(2025, 12, 31), 1234.0, 12.5]
    assert not table.truncated


def test_bom_and_umlauts() -> None:
    table = read_csv(b"\xef\xbb\xbf" + "Straße;Bäume\nKölner Str.;12\n".encode())
    assert table.encoding == "utf-8-sig"
    assert table.columns[0].name == "Straße"  # no BOM glued to the first heading
    assert table.rows == [["Kölner Str.", 12.0]]


def test_latin1_windows_export() -> None:
    data = "Bezirk;Fläche km²;Einwohner\nMülheim;52,3;150.000\n".encode("cp1252")
    table = read_csv(data)
    assert table.encoding == "cp1252"
    assert table.columns[1].name == "Fläche km²" and table.rows[0] == ["Mülheim", 52.3, 150000.0]
    latin1 = read_csv(b"Name;Wert\nK\xf6ln\x81;1\n")  # 0x81 is not cp1252
    assert latin1.encoding == "latin-1" and latin1.rows[0][0].startswith("Köln")


def test_comma_separated_with_decimal_points_and_quotes() -> None:
    table = read_csv(b'year,value,label\n2024,"1,234.5","a, b"\n2025,17.25,c\n')
    assert table.delimiter == ","
    assert [c.kind for c in table.columns] == ["number", "number", "text"]
    assert table.rows[0] == [2024.0, 1234.5, "a, b"]


def test_tab_separated_and_iso_dates_and_empty_cells() -> None:
    table = read_csv(b"datum\tmessung\n2026-11-01\t3.5\n2026-11-02\t\n2026-11-03\t4\n")
    assert table.delimiter == "\t"
    assert [c.kind for c in table.columns] == ["date", "number"]
    assert table.rows[1] == [date(2026, 11, 2), None]


def test_german_numbers() -> None:
    assert parse_number("1.234,5", decimal_comma=True) == 1234.5
    assert parse_number("-0,75", decimal_comma=True) == -0.75
    assert parse_number("1.234.567", decimal_comma=True) == 1234567
    assert parse_number("12,3.4", decimal_comma=True) is None
    assert parse_number("1,234.5", decimal_comma=False) == 1234.5
    assert parse_number("abc", decimal_comma=False) is None


def test_empty_file_and_only_a_heading() -> None:
    assert read_csv(b"").is_empty
    assert read_csv(b"\xef\xbb\xbf\n\n").is_empty
    heading_only = read_csv(b"a;b;c\n")
    assert [c.name for c in heading_only.columns] == ["a", "b", "c"] and heading_only.is_empty


def test_garbage_bytes_are_bad_data() -> None:
    with pytest.raises(BadData):
        read_csv(bytes(range(256)) * 20)
    with pytest.raises(BadData):
        read_csv(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00\x01\x02\x03" * 500)  # a zip


def test_ragged_rows_and_missing_headings() -> None:
    table = read_csv(b"a;;a\n1;2;3;4\n5\n")
    assert [c.name for c in table.columns] == ["a", "2", "a (3)", "4"]
    assert table.rows[1] == [5.0, None, None, None]


def test_only_the_first_rows_are_kept() -> None:
    data = b"n;wert\n" + b"".join(b"%d;%d,5\n" % (i, i) for i in range(1000))
    table = read_csv(data, max_rows=10)
    assert len(table.rows) == 10 and table.truncated


@pytest.mark.anyio
async def test_an_endless_csv_is_read_only_until_the_first_rows_are_in() -> None:
    produced = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal produced
        yield "Zeit;Zähler\n".encode()
        while True:
            produced += 1
            yield b"".join(b"2026-11-%02d;%d,0\n" % (1 + i % 28, i) for i in range(50))

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=endless()))
    async with httpx.AsyncClient(transport=transport) as http:
        table = await preview_csv("http://files.test/endless.csv", http=http, max_rows=200)
    assert len(table.rows) == 200 and table.truncated
    assert [c.kind for c in table.columns] == ["date", "number"]
    assert produced <= 6  # 200 rows are four to five chunks: the stream was left there


@pytest.mark.anyio
async def test_a_huge_line_stops_at_the_byte_cap() -> None:
    chunks = 0

    async def one_long_line() -> AsyncIterator[bytes]:
        nonlocal chunks
        while True:
            chunks += 1
            yield b"x" * 65536

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=one_long_line()))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(BadData):  # one "row" of a megabyte is no table to preview
            await preview_csv("http://f.test/x.csv", http=http, max_bytes=1_000_000)
    assert chunks <= 17


@pytest.mark.anyio
async def test_missing_file_is_not_found() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(404))
    async with httpx.AsyncClient(transport=transport) as http:
        with pytest.raises(NotFound):
            await preview_csv("http://f.test/gone.csv", http=http)


def test_datastore_page_becomes_the_same_table_shape() -> None:
    page = DatastorePage(
        fields=[
            DatastoreField(id="_id", type="int"),
            DatastoreField(id="datum", type="timestamp"),
            DatastoreField(id="ort", type="text"),
            DatastoreField(id="anzahl", type="int4"),
            DatastoreField(id="anteil", type="text"),
        ],
        records=[
            {
                "_id": 1,
                "datum": "2026-11-18T00:00:00",
                "ort": "Deutz",
                "anzahl": 4,
                "anteil": "1,5",
            },
            {"_id": 2, "datum": "2026-11-19T00:00:00", "ort": "Kalk", "anzahl": 3, "anteil": "2"},
        ],
        total=730,
    )
    table = table_from_datastore(page)
    assert isinstance(table, Table) and table.total == 730 and table.truncated
    assert [(c.name, c.kind) for c in table.columns] == [
        ("datum", "date"),
        ("ort", "text"),
        ("anzahl", "number"),
        ("anteil", "number"),
    ]
    assert table.rows[0][2:] == [4.0, 1.5]


def test_chart_choice_numbers_over_dates_or_categories_or_nothing() -> None:
    over_time = read_csv(b"lfd;datum;anzahl\n1;02.01.2026;5\n2;01.01.2026;7\n3;03.01.2026;1\n")
    choice = choose_chart(over_time)
    assert (choice.kind, choice.x, choice.series) == ("line", "datum", ["anzahl"])
    assert [p[1][0] for p in chart_points(over_time, choice)] == [7.0, 5.0, 1.0]  # by date

    by_district = read_csv(
        GERMAN.replace(";Datum", "").replace(";31.12.2025", "").replace(";31.12.2024", "").encode()
    )
    choice = choose_chart(by_district)
    assert (choice.kind, choice.x, choice.series) == ("bar", "Stadtteil", ["Einwohner", "Anteil"])

    years = read_csv(b"Jahr;Einwohner\n2024;1.084.831\n2025;1.087.353\n")
    assert choose_chart(years).kind == "line" and choose_chart(years).x == "Jahr"

    assert choose_chart(read_csv(b"name;ort\na;b\n")).reason == "no_numbers"
    assert choose_chart(read_csv(b"a;b\n1;2\n")).reason == "no_axis"
    assert choose_chart(read_csv(b"")).reason == "no_rows"
    many = b"k;v\n" + b"".join(b"k%d;%d\n" % (i, i * 7) for i in range(40))
    assert choose_chart(read_csv(many)).reason == "too_many_categories"


def test_a_long_table_gets_one_line_per_category_the_largest_first() -> None:
    long = read_csv(
        b"Jahr;Fahrzeugart;Anzahl\n2020;Pkw;400\n2020;Lkw;20\n2020;Rad;5\n"
        b"2021;Lkw;22\n2021;Pkw;410\n2021;Rad;6\n"
    )
    choice = choose_chart(long)
    assert choice.kind == "line" and choice.split == "Fahrzeugart" and choice.value == "Anzahl"
    assert choice.series == ["Pkw", "Lkw", "Rad"]
    assert chart_points(long, choice) == [
        (2020.0, [400.0, 20.0, 5.0]),
        (2021.0, [410.0, 22.0, 6.0]),
    ]
    assert is_year_column(long, long.columns[0]) and not is_year_column(long, long.columns[2])
