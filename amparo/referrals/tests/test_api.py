"""/api/v1/cases/<code>/referrals/ and /api/v1/institutions/: a referral through the API meets
the same consent gate as on the page; the directory is searchable."""

import pytest
from django.utils import timezone

from amparo.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_directory_filters_by_what_an_institution_provides(team, directory, api):
    client = api(team["caseworker"])
    names = {i["name"] for i in client.get("/api/v1/institutions/?provides=salud_mental")
             .json()["results"]}
    assert names == {directory["cem"].name}
    assert api(team["admin"]).get("/api/v1/institutions/").status_code in (200, 403)


def test_sharing_needs_her_consent_or_a_written_override(team, make_case, directory, api):
    case = make_case()
    client = api(team["caseworker"])
    url = f"/api/v1/cases/{case.code}/referrals/"
    body = {"institution": directory["health"].pk, "purpose": "salud",
            "referred_on": str(timezone.localdate()), "shared": ["identidad", "contacto"]}
    reason = "Emergencia médica: no responde y el hospital necesita su identidad."
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "consentimiento" in refused.json()["shared"][0]
    not_hers = client.post(url, {**body, "override_reason": reason},
                           content_type="application/json")
    assert not_hers.status_code == 400  # a caseworker cannot override; her coordinator can
    assert not Referral.objects.exists()
    created = api(team["coordinator"]).post(url, {**body, "override_reason": reason},
                                            content_type="application/json")
    assert created.status_code == 201, created.json()
    [listed] = client.get(url).json()
    assert listed["institution"] == directory["health"].pk and listed["direction"] == "saliente"
    assert "override_reason" not in listed  # written, sealed, never read back
