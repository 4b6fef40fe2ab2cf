"""Open Chromium in kiosk app mode on the served URL (the Kundenzentrum kiosk)."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import tempfile
import threading
import time

log = logging.getLogger(__name__)

CHROMIUM_FLAGS = [
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--noerrdialogs",
    "--disable-translate",
    "--overscroll-history-navigation=0",
]


def chromium_command(url: str, profile_dir: str) -> list[str] | None:
    """The command that shows `url` full screen without browser controls, if Chromium exists."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        return None
    # A fresh profile each start: the kiosk keeps no history, cookies or form data.
    return [binary, "--kiosk", f"--app={url}", f"--user-data-dir={profile_dir}", *CHROMIUM_FLAGS]


class KioskBrowser:
    """Chromium in kiosk mode, started once the server listens and stopped with the app."""

    def __init__(self, url: str, port: int) -> None:
        self.url = url
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None
        self._profile = tempfile.TemporaryDirectory(prefix="koeln-kiosk-")

    def open_when_ready(self) -> None:
        """Start Chromium in the background as soon as the port accepts connections."""
        threading.Thread(target=self._open, daemon=True).start()

    def _open(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        command = chromium_command(self.url, self._profile.name)
        if command is None:
            log.error("kiosk: Chromium not found; open %s in a browser yourself", self.url)
            return
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def close(self) -> None:
        """Close Chromium and forget its profile."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._profile.cleanup()
