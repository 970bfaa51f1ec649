"""Query counts of the case list and the case page: pinned, and the same with more cases.

Every request pays 9 for the session, the user, allauth's session tracking (with 2 savepoints),
the user's roles and the access event (last hash, insert, savepoints); on PostgreSQL one more,
the advisory lock that serialises the audit chain."""

import pytest
from django.urls import reverse

from amparo.cases import services

TABS = ["case", "identity", "episodes", "consents", "assessments", "plan", "services",
        "follow_ups", "notes", "documents", "timeline", "accesses"]


def _fill(case, n: int):
    worker = case.worker
    for i in range(n):
        services.episode_save(actor=worker, case=case, data={"kind": "captacion"},
                              description=f"relato {i}")
        services.note_add(actor=worker, case=case, text=f"nota {i}")
        services.follow_up_record(actor=worker, case=case, contacted_on=case.intake_date,
                                  channel="telefono", reached=True)
        services.service_record(actor=worker, case=case, kind="salud", mode="presencial",
                                delivered_on=case.intake_date, minutes=30, staff=worker)
        services.assessment_record(actor=worker, case=case, assessed_on=case.intake_date,
                                   scores={"salud": i}, notes={})
        services.consent_record(actor=worker, case=case, scope="atencion", given=True,
                                decided_on=case.intake_date, given_by="sobreviviente")
        plan = services.plan_create(actor=worker, case=case, horizon="corto",
                                    goals=[("salud", "meta"), ("educacion", "otra")])
        for goal in plan.goals.all():
            services.plan_action_add(actor=worker, case=case, goal=goal, description="acción",
                                     owner=worker, due_on=None)


def test_the_case_list_costs_the_same_for_5_or_25_cases(team, make_case, login, client,
                                                         django_assert_num_queries, audit_lock):
    for _ in range(5):
        make_case()
    login(team["coordinator"])
    url = reverse("cases:list") + "?vista=oficina"
    client.get(url)
    with django_assert_num_queries(20 + audit_lock):
        client.get(url)
    for _ in range(20):
        make_case()
    with django_assert_num_queries(20 + audit_lock):
        client.get(url)


@pytest.mark.parametrize("tab, queries", [
    ("case", 20),  # +3: what is pending (last contact, open alerts; issue 34)
    ("identity", 19), ("episodes", 19), ("consents", 18), ("assessments", 16),
    ("plan", 19), ("services", 17), ("follow_ups", 16), ("notes", 16), ("documents", 16),
    ("timeline", 20), ("accesses", 16),
])
def test_each_case_tab_has_a_fixed_number_of_queries(team, make_case, login, client, tab, queries,
                                                      django_assert_num_queries, audit_lock):
    small, large = make_case(), make_case()
    _fill(small, 1)
    _fill(large, 4)
    login(team["caseworker"])
    client.get(reverse("cases:case", args=[small.code]))
    for case in (small, large):
        with django_assert_num_queries(queries + audit_lock):
            assert client.get(reverse(f"cases:{tab}", args=[case.code])).status_code == 200
