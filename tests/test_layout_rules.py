"""The house rules of the layout: services/ without Flet, views/ without network or database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Top-level package names a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        (
            "services",
            {"flet", "flet_web", "flet_charts", "flet_map", "views", "app", "backend_stub"},
        ),
        ("views", {"httpx", "sqlmodel", "sqlite3", "sqlalchemy", "backend_stub"}),
        ("backend_stub", {"flet", "views", "app", "services"}),
    ],
)
def test_layer_never_imports(folder: str, forbidden: set[str]) -> None:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, f"{folder}/ has no Python files"
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & forbidden) for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def network_clients_used(path: Path) -> list[int]:
    """Lines where a file reaches the HTTP clients (`services.clients.x`) directly."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "clients"
    ]


def test_views_never_talk_to_network_clients() -> None:
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "views").rglob("*.py"))
        if (lines := network_clients_used(path))
    }
    assert offenders == {}, "views go through a coordinator or a service, never a client"


def test_client_checker_sees_a_client_call(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("async def f(ctx):\n    await ctx.services.clients.queue.draw('x', 1)\n")
    assert network_clients_used(sample) == [2]


def test_one_staleness_rule_per_resource() -> None:
    """Views take staleness from services/ and never keep a second threshold of their own."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "views").rglob("*.py"))
        if "STALE" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_rule_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom httpx import AsyncClient\nimport flet as ft\n")
    assert imported_modules(sample) == {"os", "httpx", "flet"}


@pytest.mark.parametrize(
    "path",
    [
        "app",
        "views",
        "services",
        "locales",
        "assets",
        "backend_stub",
        "tests",
        "bench",
        "docs",
        "pyproject.toml",
        "README.md",
        "Makefile",
        ".ci/run",
    ],
)
def test_project_layout_exists(path: str) -> None:
    assert (ROOT / path).exists()
