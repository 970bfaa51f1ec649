"""Production serves the layout's files: `collectstatic` with whitenoise's manifest storage
collects them, and every `/static/` URL a page references answers 200 with the right type.

A page whose stylesheet answers 404 renders as bare HTML (no layout, no tabs, no HTMX); that
went unseen through five issues because no test fetched what the pages reference."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

STATIC_URL_IN_PAGE = re.compile(r'(?:href|src)="(/static/[^"]+)"')
EXPECTED_TYPES = {".css": "text/css", ".js": "javascript"}


@pytest.fixture
def production_static(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    return settings.STATIC_ROOT


def _static_urls(html: str) -> set[str]:
    return set(STATIC_URL_IN_PAGE.findall(html))


def test_collectstatic_gathers_the_layout_files(production_static):
    collected = {p.relative_to(production_static).as_posix()
                 for p in production_static.rglob("*") if p.is_file()}
    for source in ("vendor/bootstrap/bootstrap.min.css", "amparo/app.css",
                   "vendor/htmx/htmx.min.js", "vendor/bootstrap/bootstrap.bundle.min.js"):
        assert source in collected
        stem, _dot, ext = source.rpartition(".")
        assert any(re.fullmatch(re.escape(stem) + r"\.[0-9a-f]{12}\." + ext, name)
                   for name in collected), f"no hashed copy of {source}"


def test_every_page_references_static_files_that_production_serves(
        production_static, team, make_case):
    case = make_case()
    pages = {
        team["caseworker"]: [reverse("home"), reverse("cases:list"),
                             reverse("cases:case", args=[case.code]),
                             reverse("cases:intake")],
        team["coordinator"]: [reverse("monitoring:inbox"), reverse("legal:office"),
                              reverse("imports:runs"), reverse("linkage:queue")],
        team["admin"]: [reverse("accounts:users"), reverse("audit:events")],
    }
    anonymous = Client()
    seen: set[str] = set()
    login_html = anonymous.get(reverse("account_login")).content.decode()
    seen |= _static_urls(login_html)
    for user, urls in pages.items():
        client = Client()
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            found = _static_urls(response.content.decode())
            assert any(u.endswith(".css") for u in found), f"{url} links no stylesheet"
            seen |= found
    assert len(seen) >= 4
    for url in sorted(seen):
        assert re.search(r"\.[0-9a-f]{12}\.", url), f"{url} is not the hashed name"
        response = anonymous.get(url)
        assert response.status_code == 200, url
        content_type = response.headers["Content-Type"]
        ext = "." + url.rsplit(".", 1)[-1]
        assert EXPECTED_TYPES.get(ext, "") in content_type, (url, content_type)
        assert "immutable" in response.headers.get("Cache-Control", ""), url
