"""The baseline of bench/startup.py: a bare Flet hello world served the same way as the app."""

import sys

import flet as ft
import flet_web.fastapi as flet_fastapi
import uvicorn


def main(page: ft.Page) -> None:
    """One line of text."""
    page.add(ft.Text("Hallo Köln"))


if __name__ == "__main__":
    app = flet_fastapi.FastAPI()
    app.mount("/", flet_fastapi.app(main, no_cdn=True))
    uvicorn.run(
        app, host="127.0.0.1", port=int(sys.argv[1]), ws="websockets-sansio", log_level="warning"
    )
