"""Retake the README's tour screenshots (docs/img/*.png) from a fresh demo platform: `make screenshots`.

Starts `icc serve` on a free port with a throw-away data folder (so the demo network is loaded afresh), drives
Debian's Chromium with Playwright, and writes each page at a fixed viewport. Look at the pictures before you
commit them: they are what a newcomer sees first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
sys.path[:0] = [str(ROOT / "tests" / "browser"), str(ROOT / "bench")]
from _server import free_port  # noqa: E402 — the benchmarks' free-port helper

from conftest import ARGS as CHROMIUM_ARGS  # noqa: E402 — the browser tests' Chromium settings
from conftest import CHROMIUM  # noqa: E402

# file name, language, path, viewport (width, height); the page is cut at the viewport's height
SHOTS = [
    ("home-en.png", "en", "/", (1280, 1000)),
    ("city-oslo-en.png", "en", "/cities/oslo/", (1280, 1300)),
    ("cities-fr.png", "fr", "/cities/", (1280, 900)),
    ("city-bilbao-phone-fr.png", "fr", "/cities/bilbao/", (390, 1400)),
    ("explorer-en.png", "en", "/explore/?chart=city&city=oslo&edition=2025", (1280, 1100)),
    ("explorer-fr.png", "fr", "/explore/?chart=progress&cities=oslo,bilbao,lublin&basis=comparable", (1280, 1100)),
    ("facts-en.png", "en", "/facts/", (1280, 1500)),
    ("facts-fr.png", "fr", "/facts/", (1280, 1500)),
    ("city-profile-en.png", "en", "/cities/bilbao/", (1280, 1300)),
    ("city-profile-fr.png", "fr", "/cities/bilbao/", (1280, 1300)),
]


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ICC_DATA_DIR": data}
        env.pop("DATABASE_URL", None)
        icc = Path(sys.executable).with_name("icc")
        server = subprocess.Popen(
            [str(icc), "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise SystemExit("the platform did not start within 150 s")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, lang, path, (width, height) in SHOTS:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
                    page = context.new_page()
                    page.goto(base + path)
                    if page.locator(".chart-box").count():
                        page.locator(".chart-box svg").first.wait_for()
                    page.screenshot(path=str(OUT / name))
                    context.close()
                    print(f"docs/img/{name}  {lang}  {path}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
