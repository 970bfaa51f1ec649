"""Looking at a page as a person would: is it styled, does it fit the screen, does it work
with a screen reader (axe-core), did a script or the Content Security Policy fail?

`Looker` wraps a Playwright page. Every `look(step)` checks the page as it is now and saves a
screenshot; the problems it finds are raised together so that one run names them all.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
ARTIFACTS = Path(os.environ.get("AMPARO_TEST_ARTIFACTS",
                                Path(__file__).resolve().parents[2] / "var" / "test-artifacts"))
VIEWPORTS = {"phone": {"width": 360, "height": 800}, "laptop": {"width": 1280, "height": 800}}
# axe-core's impacts that fail a page; "moderate" and "minor" are reported but do not fail.
BLOCKING_IMPACTS = {"serious", "critical"}
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str | None:
    """Debian's Chromium (Playwright's own download cannot work here), or AMPARO_CHROMIUM."""
    configured = os.environ.get("AMPARO_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    return found


def launch(playwright):
    path = chromium_path()
    if path is None:
        raise FileNotFoundError("Chromium is not installed: sudo apt-get install chromium")
    return playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--lang=es-PE"])


def new_context(browser, viewport: str, *, locale: str = "es-PE"):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale=locale,
                                  timezone_id="America/Lima")
    # Injected by the browser itself (not a <script> tag), so the page's CSP does not block it.
    context.add_init_script(path=str(ASSETS / "axe.min.js"))
    context.set_default_timeout(15_000)
    return context


# Run in the page: what a person would notice at once.
PAGE_FACTS = """() => {
  const links = Array.from(document.querySelectorAll('link[rel=stylesheet]'));
  const unstyled = links.filter(l => { try { return !l.sheet || l.sheet.cssRules.length === 0; }
                                       catch (e) { return true; } }).map(l => l.href);
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 && r.width > 0) {
        let inside = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (['auto', 'scroll', 'hidden'].includes(s.overflowX)) { inside = true; break; }
        }
        if (!inside) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                               (el.className && typeof el.className === 'string'
                                ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
      }
      if (wide.length >= 3) break;
    }
  }
  return {
    stylesheets: links.length, unstyled,
    bootstrap: getComputedStyle(document.body).fontFamily.includes('system-ui'),
    htmx: typeof window.htmx !== 'undefined',
    bootstrapJs: typeof window.bootstrap !== 'undefined',
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide,
    lang: root.lang,
  };
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations'],
                                         runOnly: {type: 'tag', values:
                                           ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary)}));
}"""


@dataclass
class Looker:
    """One journey's eyes: a page at one viewport, its screenshots and the problems seen."""

    page: object
    journey: str
    viewport: str
    errors: list[str] = field(default_factory=list)
    shots: int = 0
    base: str = ""

    def __post_init__(self):
        self.folder = ARTIFACTS / "browser" / self.journey
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        self.page.on("console", self._console)
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.errors.append(f"{response.status} for {response.url}")

    def go(self, path: str, step: str | None = None) -> None:
        """Open a path of the server; with a step, look at it."""
        self.page.goto(self.base + path)
        if step:
            self.look(step)

    def shoot(self, step: str) -> Path:
        self.shots += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.shots:02d}-{slug}-{self.viewport}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def look(self, step: str, *, axe: bool = True) -> dict:
        """Check the page as it is now; raise AssertionError naming every problem seen."""
        self.page.wait_for_load_state("load")
        facts = self.page.evaluate(PAGE_FACTS)
        self.shoot(step)
        problems = list(self.errors)
        self.errors.clear()
        if not facts["stylesheets"] or facts["unstyled"] or not facts["bootstrap"]:
            problems.append(f"the page lost its styles: {facts['unstyled'] or 'no Bootstrap'}")
        if not (facts["htmx"] and facts["bootstrapJs"]):
            problems.append("htmx or Bootstrap's script did not load")
        if facts["scrollWidth"] > facts["clientWidth"] + 1:
            problems.append(f"the page scrolls sideways ({facts['scrollWidth']} px in "
                            f"{facts['clientWidth']}): {', '.join(facts['wide'])}")
        if axe:
            violations = self.page.evaluate(AXE_RUN)
            for v in violations:
                if v["impact"] in BLOCKING_IMPACTS:
                    problems.append(f"axe {v['impact']} {v['id']}: {v['help']} at "
                                    + "; ".join(v["nodes"]))
        if problems:
            where = f"{self.journey} / {step} at {self.viewport} ({self.page.url})"
            raise AssertionError(f"{where}:\n- " + "\n- ".join(problems))
        return facts
