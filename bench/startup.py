"""Benchmark: process start to first frame in Chromium, the app against a bare Flet hello world.

Runs both alternately for several rounds in one run (these machines are noisy), prints the
medians and the ratio app/hello, and the peak memory (VmHWM) of both Python processes.
Not a test: run it with `make bench` or `.venv/bin/python bench/startup.py [rounds]`.
"""

from __future__ import annotations

import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.embedded_backend import free_port  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(browser: Browser, command: list[str], port: int) -> tuple[float, float]:
    """Seconds from process start to Flutter's first frame, and peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        while True:
            try:
                httpx.get(url, timeout=0.5)
                break
            except httpx.HTTPError:
                if process.poll() is not None:
                    raise RuntimeError(f"{command} exited") from None
                time.sleep(0.02)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#loading", state="detached", timeout=60_000)
        elapsed = time.perf_counter() - start
        page.wait_for_timeout(500)  # let the session settle before reading memory
        memory = peak_rss_mb(process.pid)
        page.close()
        return elapsed, memory
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def main(rounds: int = 5) -> None:
    """Alternate app and hello world; print medians and ratios."""
    results: dict[str, list[tuple[float, float]]] = {"app": [], "hello": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(rounds):
            data_dir = tempfile.mkdtemp(prefix="koeln-bench-")
            port = free_port()
            results["app"].append(
                measure(
                    browser,
                    [sys.executable, "-m", "app", "--port", str(port), "--data-dir", data_dir],
                    port,
                )
            )
            shutil.rmtree(data_dir, ignore_errors=True)
            port = free_port()
            results["hello"].append(
                measure(
                    browser,
                    [sys.executable, str(ROOT / "bench" / "hello_flet.py"), str(port)],
                    port,
                )
            )
        browser.close()
    med = {
        k: (statistics.median(t for t, _ in v), statistics.median(m for _, m in v))
        for k, v in results.items()
    }
    print(f"rounds: {rounds}")
    for name, (seconds, memory) in med.items():
        print(f"{name:6s} first frame median {seconds:6.2f} s   peak RSS median {memory:6.1f} MB")
    print(
        f"ratio app/hello: first frame {med['app'][0] / med['hello'][0]:.2f}x, "
        f"peak memory {med['app'][1] / med['hello'][1]:.2f}x"
    )
    print("(the app's figure excludes its stub backend, a separate process)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
