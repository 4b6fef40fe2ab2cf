"""Reading a QR code in the app: with the camera, or from a photo or screenshot. One piece for
every screen that takes a code (a ticket, an appointment at the kiosk, a workshop)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import flet as ft

from services.waiting_times.qr import NotAnImage, read_qr_texts
from views.context import ScreenContext

log = logging.getLogger(__name__)


def first_code(ctx: ScreenContext, picture: bytes, say: Callable[[str], None]) -> str | None:
    """The text of the first QR code in a picture; says in words when there is none."""
    _ = ctx._
    try:
        texts = read_qr_texts(picture)
    except NotAnImage:
        say(_("This file is not a picture the app can read. Please use a photo or screenshot."))
        return None
    if not texts:
        say(_("No QR code was found in this picture. Please try a sharper photo."))
        return None
    return texts[0]


def qr_buttons(
    ctx: ScreenContext,
    use_payload: Callable[[str], None],
    say: Callable[[str], None],
    *,
    photo_label: str,
    camera_title: str,
) -> ft.Row:
    """ "Scan with the camera" and a photo or screenshot: the first code read goes to
    `use_payload`; what went wrong goes to `say`."""
    _ = ctx._

    def use_picture(picture: bytes) -> None:
        payload = first_code(ctx, picture, say)
        if payload is not None:
            use_payload(payload)

    async def upload(_e: Any) -> None:
        files = await ft.FilePicker().pick_files(
            dialog_title=photo_label,
            file_type=ft.FilePickerFileType.IMAGE,
            with_data=True,
        )
        if files and files[0].bytes:
            use_picture(files[0].bytes)

    async def scan(_e: Any) -> None:
        await open_scanner(ctx, use_picture, say, title=camera_title)

    return ft.Row(
        [
            ft.Button(_("Scan with the camera"), icon=ft.Icons.CAMERA_ALT, on_click=scan),
            ft.Button(photo_label, icon=ft.Icons.IMAGE, on_click=upload),
        ],
        wrap=True,
    )


async def open_scanner(
    ctx: ScreenContext,
    use_image: Callable[[bytes], None],
    say: Callable[[str], None],
    title: str,
) -> None:
    """A camera preview in a dialog; each press of the button reads one frame."""
    import flet_camera as fc  # loaded when somebody scans, not at start-up

    _ = ctx._
    camera = fc.Camera(expand=True, preview_enabled=True)
    try:
        cameras = await camera.get_available_cameras()
    except Exception as exc:  # no camera support on this device or browser
        log.info("no camera: %s", exc)
        cameras = []
    if not cameras:
        say(_("No camera was found. Please use a photo or screenshot of the code instead."))
        return

    async def shoot(_e: ft.Event[ft.Button]) -> None:
        frame = await camera.take_picture()
        ctx.page.pop_dialog()
        use_image(frame)

    ctx.page.show_dialog(
        ft.AlertDialog(
            title=ft.Text(title),
            content=ft.Container(content=camera, width=360, height=360),
            actions=[
                ft.Button(_("Read the code"), on_click=shoot),
                ft.TextButton(_("Cancel"), on_click=lambda _e: ctx.page.pop_dialog()),
            ],
        )
    )
    try:
        await camera.initialize(cameras[0], fc.ResolutionPreset.MEDIUM, enable_audio=False)
    except Exception as exc:
        ctx.page.pop_dialog()
        log.info("camera did not start: %s", exc)
        say(_("The camera could not be started. Please use a photo or screenshot instead."))
