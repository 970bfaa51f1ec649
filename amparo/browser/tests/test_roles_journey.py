"""A director approves a role that an administrator asked for, from her home page; the reports
page of another office shows no link to a case it cannot open."""

import pytest

from amparo.accounts import services as account_services
from amparo.accounts.models import Office, RoleGrant
from amparo.browser.tests.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_director_approves_a_role_from_her_home_page(browse, person, make_user):
    admin = person("admin", username="teresa.admin")
    director = person("director", username="andrea.dir", first_name="Andrea")
    newcomer = make_user(username="nueva.abogada", first_name="Nadia", last_name="Ríos",
                         mfa=False)
    account_services.user_update(actor=admin, user=newcomer, first_name="Nadia",
                                 last_name="Ríos", email="",
                                 roles=[("lawyer", Office.objects.get(code="cusco"))])
    me = browse()
    page = me.page
    sign_in(me, director, check=False)
    me.look("director home")
    region = page.get_by_role("region", name="Roles que esperan tu aprobación")
    region.get_by_role("link", name="Decidir").click()
    me.look("roles to approve")
    page.get_by_role("button", name="Aprobar Área legal · Cusco · nueva.abogada").click()
    me.look("role approved")
    assert page.get_by_text("Rol otorgado a Nadia Ríos.").is_visible()
    assert RoleGrant.objects.get().status == "approved"
    assert newcomer.role_assignments.filter(role="lawyer").exists()
