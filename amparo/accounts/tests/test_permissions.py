from pathlib import Path

import pytest
from django.core.management import call_command

from amparo.accounts.permissions import MATRIX, PERMISSIONS, Scope, can, offices_for, scopes
from amparo.accounts.roles import Role

DOCS = Path(__file__).resolve().parents[3] / "docs" / "roles.md"


def test_every_permission_is_granted_to_some_role():
    for permission in MATRIX:
        assert permission.grants, permission.code
    assert len(PERMISSIONS) == len(MATRIX)


def test_caseworker_sees_assigned_cases_of_her_office_but_cannot_assign(make_user, office):
    user = make_user("caseworker@lima")
    assert scopes(user, "case.view") == [(Scope.ASSIGNED, office("lima").pk)]
    assert can(user, "case.view", office_id=office("lima").pk)
    assert not can(user, "case.view", office_id=office("cusco").pk)
    assert not can(user, "case.assign")
    assert not can(user, "note.psychological.view")
    assert not can(user, "note.legal.view")


def test_psychological_and_legal_notes_belong_to_their_professions(make_user):
    assert can(make_user("psychologist@puno"), "note.psychological.view")
    assert not can(make_user("psychologist@puno"), "note.legal.view")
    assert can(make_user("lawyer@puno"), "note.legal.view")
    assert can(make_user("lawyer@puno"), "defendant.view")
    assert not can(make_user("caseworker@puno"), "defendant.view")


def test_coordinator_holds_her_office_only(make_user, office):
    user = make_user("coordinator@iquitos")
    assert offices_for(user, "case.view") == {office("iquitos").pk}
    assert can(user, "plan.approve", office_id=office("iquitos").pk)
    assert not can(user, "plan.approve", office_id=office("lima").pk)


def test_roles_in_two_offices_add_up(make_user, office):
    user = make_user("lawyer@lima", "coordinator@cusco")
    assert offices_for(user, "case.view") == {office("lima").pk, office("cusco").pk}
    assert can(user, "case.assign", office_id=office("cusco").pk)
    assert not can(user, "case.assign", office_id=office("lima").pk)


def test_director_reads_every_office_and_approves_exports(make_user, office):
    user = make_user("director")
    assert offices_for(user, "case.view") is None
    assert can(user, "case.view", office_id=office("maldonado").pk)
    assert can(user, "export.approve")
    assert not can(user, "case.edit")


def test_researcher_never_sees_identities_or_cases(make_user):
    user = make_user("researcher")
    assert can(user, "research.view")
    assert not can(user, "identity.view")
    assert not can(user, "case.view")


@pytest.mark.parametrize("role", ["admin", "prevention@lima"])
def test_admin_and_prevention_have_no_case_content(make_user, role):
    user = make_user(role)
    for code in ("case.view", "identity.view", "note.psychological.view", "proceeding.view"):
        assert not can(user, code)


def test_admin_manages_users_offices_and_reference_data(make_user):
    user = make_user("admin")
    assert all(can(user, c) for c in ("user.manage", "office.manage", "reference.manage"))


def test_a_deactivated_user_holds_nothing(make_user):
    user = make_user("director")
    user.is_active = False
    assert not can(user, "case.view")


def test_every_role_appears_in_the_matrix():
    granted = {role for p in MATRIX for role in p.grants}
    assert granted == set(Role)


def test_docs_roles_md_is_the_rendered_matrix(capsys):
    call_command("roles", "--markdown")
    assert DOCS.read_text(encoding="utf-8") == capsys.readouterr().out
