"""Participants typed differently on two lists are found by the record-linkage engine and wait
for a person; the team's rules (documents, institutions in other departments) stand over the
score."""

import dataclasses
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from amparo.imports.execute import import_run
from amparo.imports.mapping import mapping_load
from amparo.linkage.engine import Engine
from amparo.prevention import matching, selectors
from amparo.prevention.models import Participant, ParticipantPair
from amparo.prevention.tests.test_attendance_import import mapping, sheet

pytestmark = pytest.mark.django_db


def _levels(pair) -> dict:
    return {name: level for name, level, _weight in pair.evidence}


def test_a_name_in_another_form_at_the_same_institution_is_proposed_with_its_evidence(
        team, training, attend):
    attend(training(day=date(2022, 1, 10)), given_names="María Isabel")
    attend(training(day=date(2023, 1, 10)), given_names="Maribel")
    pair = selectors.pairs_open().get()
    first = Participant.objects.get(given_names="María Isabel")
    assert pair.left == first  # the earlier record is kept when they are merged
    assert pair.probability >= 0.5
    assert _levels(pair)["given"] == "variant" and _levels(pair)["institution"] == "exact"


def test_an_institution_written_short_and_a_surname_reduced_to_its_initial(
        team, training, attend):
    attend(training(day=date(2022, 1, 10)))
    attend(training(day=date(2023, 1, 10)), surnames="Quispe M.", institution="CSJ Cusco")
    pair = selectors.pairs_open().get()
    assert _levels(pair)["institution"] == "close"
    assert _levels(pair)["surnames"] == "one_fits"


def test_the_same_name_without_an_institution_is_proposed(team, training, attend):
    attend(training(day=date(2022, 1, 10)))
    attend(training(day=date(2023, 1, 10)), institution="")
    assert _levels(selectors.pairs_open().get())["institution"] == "null"


def test_two_documents_are_two_people_whatever_the_names(team, training, attend):
    attend(training(day=date(2022, 1, 10)), document_number="45678912")
    attend(training(day=date(2023, 1, 10)), document_number="41234567")
    assert Participant.objects.count() == 2 and not ParticipantPair.objects.exists()


def test_another_person_is_not_proposed(team, training, attend):
    attend(training(day=date(2022, 1, 10)))
    attend(training(day=date(2023, 1, 10)), given_names="Luz", surnames="Flores Rojas")
    assert not ParticipantPair.objects.exists()


def test_a_decided_pair_is_not_proposed_again(team, training, attend):
    attend(training(day=date(2022, 1, 10)))
    other = attend(training(day=date(2023, 1, 10)), given_names="Rosa Elena")
    pair = selectors.pairs_open().get()
    from amparo.prevention import services

    services.pair_decide(actor=team["prevention"], pair=pair, same=False)
    assert matching.pairs_find([other.participant.pk]) == 0
    assert ParticipantPair.objects.count() == 1


def test_an_import_matches_its_new_people_in_one_run(team, training, attend, tmp_path,
                                                      monkeypatch):
    event = training(day=date(2024, 3, 3))
    attend(training(day=date(2023, 3, 3)), given_names="Edwin", surnames="Mamani Tito",
           document_number="")
    runs = []
    real = matching.pairs_find
    monkeypatch.setattr("amparo.imports.attendance.pairs_find",
                        lambda ids: runs.append(sorted(map(str, ids))) or real(ids))
    import_run(actor=team["prevention"], path=sheet(tmp_path / "lista.xlsx"),
               mapping=mapping_load(mapping(event)), dry_run=False)
    assert len(runs) == 1 and len(runs[0]) == 3  # Rosa, Luz and Edwin are new
    pair = selectors.pairs_open().get()
    assert {pair.left.surnames, pair.right.surnames} == {"Mamani Tito", "Mamani Ttito"}


def test_with_enough_people_the_model_is_trained_on_them_and_kept(team, training, attend,
                                                                   monkeypatch):
    monkeypatch.setattr(matching, "PARTICIPANTS",
                        dataclasses.replace(matching.PARTICIPANTS, train_min=6))
    cache.delete(matching.MODEL_KEY)
    event = training()
    for given, surnames in [("Luz", "Flores Rojas"), ("Edwin", "Mamani Ttito"),
                            ("Jhon", "Ramírez Ahuanari"), ("Karina", "Apaza Vilca"),
                            ("Ruth", "Ccori Díaz"), ("Percy", "Sangama Tuanama")]:
        attend(event, given_names=given, surnames=surnames)
    trained = []
    monkeypatch.setattr(Engine, "train", lambda self, **kw: trained.append(self) or (
        setattr(self, "trained", True)))
    records = [matching.record(p) for p in Participant.objects.all()]
    matching._trained(records)
    assert len(trained) == 1 and cache.get(matching.MODEL_KEY)["size"] == 6  # kept
    matching._trained(records)
    assert len(trained) == 1  # reused
    matching._trained(records[:5])  # the register changed by more than a tenth
    assert len(trained) == 2
    cache.delete(matching.MODEL_KEY)


def test_the_review_page_says_why_in_spanish(client, login, team, training, attend):
    attend(training(day=date(2022, 1, 10)), given_names="María Isabel")
    attend(training(day=date(2023, 1, 10)), given_names="Maribel")
    login(team["prevention"])
    with translation.override("es"):
        page = client.get(reverse("prevention:review"), HTTP_ACCEPT_LANGUAGE="es").content
    text = page.decode()
    assert "Probabilidad de que sean una sola persona" in text
    assert "el mismo nombre, en otra grafía o forma" in text or "Nombres" in text
