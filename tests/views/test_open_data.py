"""The dataset screen, without a browser: what it says when its file is gone."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from services.errors import NotFound
from services.hub import AppServices
from services.i18n import Translator
from tests.views.controls import texts
from views.context import ScreenContext
from views.open_data import dataset

pytestmark = pytest.mark.anyio


async def test_a_file_gone_from_its_address_is_said_in_words(
    services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def gone(_resource: Any) -> Any:
        raise NotFound("404 from the publisher")

    monkeypatch.setattr(services.open_data, "preview", gone)
    ctx = ScreenContext(
        SimpleNamespace(run_task=lambda work, *a: asyncio.ensure_future(work(*a))),  # type: ignore[arg-type]
        services,
        Translator("en"),
        lambda _route: None,
        lambda _locale: None,
    )
    screen = dataset.build(ctx, "kfz-zulassungen")
    for _ in range(100):
        if any("not at its address" in t for t in texts(screen)):
            break
        await asyncio.sleep(0.02)
    words = "\n".join(texts(screen))
    assert "Kfz-Zulassungen je Jahr" in words
    assert "The file is not at its address any more." in words
    assert "This could not be found." not in words
    ctx.leave()
