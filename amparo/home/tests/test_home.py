"""The home page says what to do today, per role, within the user's scope, with a fixed
number of queries; the case codes it shows are one access event."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AccessEvent
from amparo.cases import services
from amparo.cases.models import CarePlan, Case
from amparo.home.today import today_for


def _old_contact(case, days: int):
    Case.objects.filter(pk=case.pk).update(intake_date=timezone.localdate() - timedelta(days=days))


def test_a_caseworker_sees_her_follow_ups_due_and_not_another_workers(
        client, login, team, make_case):
    mine = make_case()
    other = make_case(worker=team["other_caseworker"])
    _old_contact(mine, 45)
    _old_contact(other, 45)
    login(team["caseworker"])
    html = client.get(reverse("home")).content.decode()
    assert "Seguimientos pendientes" in html
    assert mine.code in html and other.code not in html
    assert reverse("cases:follow_ups", args=[mine.code]) in html
    assert "sin contacto hace 45 días" in html
    event = AccessEvent.objects.filter(section="home").latest("occurred_at")
    assert event.object_ids == [mine.code]


def test_a_recent_contact_takes_the_case_off_the_list(team, make_case):
    case = make_case()
    _old_contact(case, 45)
    services.follow_up_record(actor=team["caseworker"], case=case,
                              contacted_on=timezone.localdate(), channel="telefono", reached=True)
    blocks = {b.key: b for b in today_for(team["caseworker"]).blocks}
    assert blocks["follow_ups"].total == 0


def test_overdue_plan_actions_of_an_approved_plan(team, make_case):
    case = make_case()
    plan = services.plan_create(actor=team["caseworker"], case=case, horizon="corto",
                                goals=[("educacion", "Volver a estudiar")])
    services.plan_action_add(actor=team["caseworker"], case=case, goal=plan.goals.get(),
                             description="Matrícula", owner=team["caseworker"],
                             due_on=timezone.localdate() - timedelta(days=3))
    blocks = {b.key: b for b in today_for(team["caseworker"]).blocks}
    assert blocks["actions"].total == 0  # a draft plan is not yet hers to carry out
    CarePlan.objects.filter(pk=plan.pk).update(status="aprobado")
    blocks = {b.key: b for b in today_for(team["caseworker"]).blocks}
    assert blocks["actions"].total == 1
    assert blocks["actions"].lines[0].code == case.code


def test_the_coordinator_sees_plans_waiting_for_approval_of_her_office_only(
        team, make_case):
    lima = make_case()
    cusco = make_case(office_code="cusco")
    for case in (lima, cusco):
        services.plan_create(actor=case.worker, case=case, horizon="corto",
                             goals=[("educacion", "Volver a estudiar")])
    blocks = {b.key: b for b in today_for(team["coordinator"]).blocks}
    assert [line.code for line in blocks["plans"].lines] == [lima.code]
    assert {"alerts", "lost", "plans", "closures", "linkage", "imports"} <= set(blocks)
    assert "follow_ups" not in blocks


def test_the_lawyer_sees_the_week_in_court_and_stalled_proceedings(team):
    keys = {b.key for b in today_for(team["lawyer"]).blocks}
    assert {"court", "stalled"} <= keys


def test_the_lawyers_home_leads_with_court_and_the_caseworkers_with_her_survivors(team):
    """Each role's home leads with its own work (issue 34): the order is the blocks'."""
    lawyer = [b.key for b in today_for(team["lawyer"]).blocks]
    assert lawyer[:2] == ["court", "stalled"] and lawyer.index("court") < lawyer.index(
        "follow_ups")
    assert today_for(team["caseworker"]).blocks[0].key == "follow_ups"


def test_every_app_that_has_home_blocks_registers_them():
    """The home page is made of what the apps register (core and home name no app)."""
    import importlib
    from pathlib import Path

    from amparo.core import home

    root = Path(home.__file__).resolve().parents[1]
    apps = sorted(p.parent.name for p in root.glob("*/home.py") if p.parent.name != "core")
    assert len(apps) >= 7
    for app in apps:
        for block in importlib.import_module(f"amparo.{app}.home").HOME_BLOCKS:
            assert home._BLOCKS[block.key] is block, f"{app} does not register {block.key}"


def test_the_director_sees_the_offices_side_by_side(client, login, team, make_case):
    make_case()
    make_case(office_code="cusco")
    login(team["director"])
    html = client.get(reverse("home")).content.decode()
    assert "Las oficinas lado a lado" in html
    assert "Lima" in html and "Cusco" in html


@pytest.mark.parametrize("who", ["researcher", "prevention", "admin"])
def test_roles_without_cases_see_their_own_work_and_no_case(client, login, team, make_case, who):
    make_case()
    login(team[who])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "LIM-" not in response.content.decode()


@pytest.mark.parametrize("who, queries, lists_codes", [
    # +1 for the case team: excerpts waiting for a second person's check; +4 for the director:
    # research protocols and indicator values waiting for her (issue 34)
    ("caseworker", 28, True), ("lawyer", 30, True), ("coordinator", 31, True),
    ("director", 31, False),
])
def test_home_uses_a_fixed_number_of_queries(
        client, login, team, make_case, django_assert_num_queries, who, queries, lists_codes):
    # PostgreSQL takes the advisory lock that serialises the audit chain when codes are listed.
    queries += int(lists_codes and connection.vendor == "postgresql")
    login(team[who])

    def add_cases(n):
        for _ in range(n):
            case = make_case()
            _old_contact(case, 40)
            services.plan_create(actor=case.worker, case=case, horizon="corto",
                                 goals=[("educacion", "Volver a estudiar")])

    add_cases(2)
    client.get(reverse("home"))
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
    add_cases(6)
    with django_assert_num_queries(queries):
        assert client.get(reverse("home")).status_code == 200


def test_see_all_opens_the_whole_list_in_the_same_order(client, login, team, make_case):
    """The caseworker's 13 survivors due a follow-up: 8 on the home, all 13 one click away,
    oldest contact first, and the read recorded (issue 34)."""
    cases = [make_case(identity={"document_number": f"4{n:07d}"}) for n in range(13)]
    for n, case in enumerate(cases):
        _old_contact(case, 40 + n)
    login(team["caseworker"])
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    url = reverse("home_block", args=["follow_ups"])
    assert url in home and "Ver todos (13)" in home
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    codes = [c.code for c in reversed(cases)]  # the longest without contact first
    positions = [page.index(code) for code in codes]
    assert positions == sorted(positions)
    assert "la que lleva más tiempo sin contacto primero" in page
    event = AccessEvent.objects.filter(section="home").latest("occurred_at")
    assert sorted(event.object_ids) == sorted(codes)
    login(team["director"])  # not her list
    assert client.get(url).status_code == 404
