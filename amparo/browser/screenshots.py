"""`make screenshots`: the README's pictures of the main pages, at 360 and 1280 px, taken from
the demo database by the same browser code as the tests (each page is checked as it is shot).

    python -m amparo.browser.screenshots docs/screenshots [--port 8765]

Serves the demo database (`make demo` builds it) with Django's server on a loopback port for
the time it takes, signs in as the demo users and saves one PNG per page and width.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from amparo.browser.look import VIEWPORTS, Looker, launch, new_context

PASSWORD = os.environ.get("AMPARO_DEMO_PASSWORD", "Amparo-demo-2026")
# (file name, demo user, path); a path of None is the first case in the user's list.
PAGES = [
    ("inicio-coordinacion", "lima.coordinator", "/"),
    ("inicio-trabajo-social", "lima.caseworker", "/"),
    ("inicio-direccion", "director", "/"),
    ("casos", "lima.coordinator", "/casos/"),
    ("caso-resumen", "lima.coordinator", None),
    ("alertas", "lima.coordinator", "/alertas/"),
    ("supervision", "lima.coordinator", "/supervision/"),
    ("procesos-calendario", "lima.lawyer", "/procesos/calendario/"),
    ("coincidencias", "lima.coordinator", "/coincidencias/"),
    ("importar", "maldonado.coordinator", "/importar/"),
]


def _serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "AMPARO_DEMO": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "amparo.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/salud/", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The demo server did not start: run `make demo` once first.")


def _sign_in(looker: Looker, username: str) -> None:
    page = looker.page
    looker.go("/cuenta/login/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(looker.base + "/")


def shoot(folder: Path, port: int) -> list[Path]:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    server = _serve(port)
    saved = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for viewport in VIEWPORTS:
                contexts = {}
                for name, username, path in PAGES:
                    if username not in contexts:
                        contexts[username] = new_context(browser, viewport)
                        looker = Looker(contexts[username].new_page(), "screenshots", viewport,
                                        base=f"http://127.0.0.1:{port}")
                        _sign_in(looker, username)
                        contexts[username].looker = looker
                    looker = contexts[username].looker
                    if path is None:
                        looker.go("/casos/")
                        looker.page.locator("main table a[href^='/casos/']").first.click()
                    else:
                        looker.go(path)
                    looker.look(name)
                    target = folder / f"{name}-{VIEWPORTS[viewport]['width']}.png"
                    looker.page.screenshot(path=str(target), full_page=False)
                    saved.append(target)
                for context in contexts.values():
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    for path in shoot(args.folder, args.port):
        print(path)


if __name__ == "__main__":
    main()
