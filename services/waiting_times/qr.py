"""QR codes of tickets: drawing them for the kiosk, reading them from photos and camera frames."""

from __future__ import annotations

import io
import logging

# qrcode, Pillow and zxing-cpp load when a code is first made or read: not at start-up

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 15 * 1024 * 1024  # a phone photo; more is not a ticket
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


class NotAnImage(ValueError):
    """The file is not a picture the app can read."""


def qr_png(text: str, *, box_size: int = 10) -> bytes:
    """A PNG of `text` as a QR code, with the quiet zone scanners need."""
    import qrcode
    from qrcode.image.pil import PilImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return buffer.getvalue()


def read_qr_texts(image_bytes: bytes) -> list[str]:
    """The texts of all QR codes in a picture (empty when there is none)."""
    if len(image_bytes) > MAX_IMAGE_BYTES:
        raise NotAnImage("the picture is too large")
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise NotAnImage("the picture has too many pixels")
            image.load()
            barcodes = zxingcpp.read_barcodes(image.convert("L"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise NotAnImage(str(exc)) from exc
    return [b.text for b in barcodes if b.valid and b.format == zxingcpp.BarcodeFormat.QRCode]
