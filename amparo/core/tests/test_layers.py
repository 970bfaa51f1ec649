"""The apps' layers, as docs/architecture.md draws them: an app imports only the apps below it.
A new app must be placed here (and in the page) before it can import anything of Amparo."""

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the amparo package
PLATFORM = {"core", "reference", "crypto", "audit", "accounts", "api"}
# app -> the apps it may import besides itself and the platform
ALLOWED = {
    **{app: set() for app in PLATFORM},
    "cases": set(),
    "referrals": {"cases"},
    "legal": {"cases", "referrals"},
    "monitoring": {"cases", "referrals", "legal"},
    "linkage": {"cases", "referrals"},
    "imports": {"cases", "referrals", "legal", "monitoring", "linkage", "prevention"},
    "prevention": {"referrals", "linkage"},  # text and places from core and reference
    "policy": {"referrals"},
    "results": {"cases", "referrals", "legal", "monitoring", "prevention", "policy"},
    "research": {"cases", "referrals", "legal"},
}
TOP = {"home", "demo", "browser"}  # they gather everything; nothing imports them
WIRING = {"urls.py", "api/urls.py", "settings.py", "cli.py", "wsgi.py", "conftest.py",
          "testenv.py"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                 else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        for name in names:
            if name.startswith("amparo."):
                found.add(name.split(".")[1])
    return found


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in ("locale", "static", "templates") or len(relative.parts) < 2:
            continue
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue  # tests may build the world they need; migrations are history
        if relative.as_posix() in WIRING:
            continue
        yield relative.parts[0], relative, _imports(path)


def test_every_app_has_a_place_in_the_layers():
    apps = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    unplaced = apps - set(ALLOWED) - TOP
    assert not unplaced, f"say in test_layers.py and docs/architecture.md where {unplaced} sit"


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_what_is_below_it(app):
    allowed = PLATFORM | ALLOWED[app] | {app}
    wrong = sorted(f"{module} imports amparo.{dep}" for owner, module, deps in _modules()
                   if owner == app for dep in deps - allowed)
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_the_top():
    wrong = sorted(f"{module} imports amparo.{dep}" for owner, module, deps in _modules()
                   for dep in deps & TOP if owner not in TOP)
    assert not wrong, "\n".join(wrong)


def test_the_layers_find_an_upward_import(tmp_path, monkeypatch):
    """The check itself works: a module of cases importing monitoring is caught."""
    fake = tmp_path / "amparo" / "cases"
    fake.mkdir(parents=True)
    (fake / "apps.py").write_text("")
    (fake / "selectors.py").write_text("from amparo.monitoring.selectors import open_alerts\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path / "amparo")
    with pytest.raises(AssertionError, match=r"cases/selectors\.py imports amparo\.monitoring"):
        test_an_app_imports_only_what_is_below_it("cases")


def test_the_platform_names_no_domain_app():
    """Issue 33: the menus and the home page's blocks are registered by each app; no module of
    the platform names a domain app, not even by a URL name ("cases:list")."""
    domain = set(ALLOWED) - PLATFORM
    names = "|".join(sorted(domain))
    pattern = re.compile(r"""["'](""" + names + "):")
    wrong = sorted(str(module) for owner, module, _deps in _modules() if owner in PLATFORM
                   and pattern.search((ROOT / module).read_text(encoding="utf-8")))
    assert not wrong, wrong


def test_only_the_access_road_reads_cases_directly():
    """Issue 33: outside `cases`, no module filters `Case.objects` itself; a person's reads go
    through `case_for`/`cases_where`, and work no person reads through `cases_for_job(job)`."""
    wrong = sorted(str(module) for owner, module, _deps in _modules()
                   if owner not in ("cases", *TOP)
                   and "Case.objects" in (ROOT / module).read_text(encoding="utf-8"))
    assert not wrong, wrong
