"""People trained are counted as people: once over any range, whatever the events they came to
and however their names were typed; reach is never added to them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.prevention import selectors, services
from amparo.prevention.models import Participant, ParticipantPair

pytestmark = pytest.mark.django_db
RANGE = (date(2021, 1, 1), date(2024, 6, 30))


def test_a_person_at_three_events_counts_once(team, training, attend):
    for day in (date(2021, 3, 1), date(2022, 7, 5), date(2024, 2, 9)):
        attend(training(day=day))
    reached = selectors.people_trained(team["prevention"], *RANGE)
    assert reached.total == 1 and reached.by_audience == {"jueces": 1}
    assert reached.by_department == {"08": 1} and reached.by_sex == {"mujer": 1}
    assert Participant.objects.count() == 1


def test_the_same_name_at_two_institutions_is_two_people(team, training, attend):
    event = training()
    attend(event)
    attend(event, institution="Fiscalía Provincial de Puno", audience="fiscales",
           department="21")
    reached = selectors.people_trained(team["prevention"], *RANGE)
    assert reached.total == 2 and reached.by_audience == {"jueces": 1, "fiscales": 1}
    assert not ParticipantPair.objects.exists()


def test_a_spelling_variant_with_the_same_document_is_one_person(team, training, attend):
    attend(training(day=date(2022, 1, 10)), document_number="45678912")
    attend(training(day=date(2023, 1, 10)), given_names="Roza", surnames="Quispe Mamany",
           document_number="45 678 912", institution="")
    assert selectors.people_trained(team["prevention"], *RANGE).total == 1


def test_a_close_name_at_the_same_institution_waits_for_a_person(team, training, attend):
    attend(training(day=date(2022, 1, 10)))
    attend(training(day=date(2023, 1, 10)), given_names="Rosa Elena")
    assert selectors.people_trained(team["prevention"], *RANGE).total == 2  # not yet decided
    pair = selectors.pairs_open().get()
    services.pair_decide(actor=team["prevention"], pair=pair, same=True)
    assert selectors.people_trained(team["prevention"], *RANGE).total == 1
    with pytest.raises(ValidationError):
        services.pair_decide(actor=team["prevention"], pair=pair, same=False)


def test_ranges_count_whoever_came_in_them(team, training, attend):
    attend(training(day=date(2020, 6, 1)))
    attend(training(day=date(2024, 8, 1)), given_names="Luz", surnames="Flores")
    assert selectors.people_trained(team["prevention"], *RANGE).total == 0
    assert selectors.people_trained(team["prevention"], date(2020, 1, 1), date(2024, 12, 31)
                                    ).total == 2


def test_only_who_completed_counts_as_trained(team, training, attend):
    event = training(post_test_required=True)
    attend(event, hours=Decimal(4))  # half of 8 hours, under the 75% the activity asks
    full = attend(event, given_names="Luz", surnames="Flores")
    services.score_record(actor=team["prevention"], activity=event,
                          participant=full.participant, phase="post", score=15)
    reached = selectors.people_trained(team["prevention"], *RANGE)
    assert (reached.total, reached.attended) == (1, 2)


def test_gains_come_from_matched_pairs_only(team, training, attend):
    event = training()
    rosa, luz, ana = (attend(event, given_names=n, surnames="Flores").participant
                      for n in ("Rosa", "Luz", "Ana"))
    for person, pre, post in ((rosa, 10, 15), (luz, 12, 20)):
        services.score_record(actor=team["prevention"], activity=event, participant=person,
                              phase="pre", score=pre)
        services.score_record(actor=team["prevention"], activity=event, participant=person,
                              phase="post", score=post)
    services.score_record(actor=team["prevention"], activity=event, participant=ana,
                          phase="pre", score=2)  # no post-test: not matched
    result = selectors.learning(selectors.activities_for(team["prevention"]))
    assert (result.matched, result.improved) == (2, 2)
    # g: (15-10)/(20-10) = 0.5 and (20-12)/(20-12) = 1.0
    assert result.mean_gain == Decimal("0.75") and result.gain_level == "alta"
    assert result.pre_mean == 11 and result.post_mean == Decimal("17.5")


def test_a_score_outside_the_test_or_of_someone_absent_is_refused(team, training, attend):
    event = training()
    person = attend(event).participant
    with pytest.raises(ValidationError, match="20"):
        services.score_record(actor=team["prevention"], activity=event, participant=person,
                              phase="pre", score=25)
    other = training(day=date(2023, 6, 1))
    with pytest.raises(ValidationError):
        services.score_record(actor=team["prevention"], activity=other, participant=person,
                              phase="pre", score=5)


def test_campaign_reach_is_never_added_to_people_trained(team, training, attend):
    attend(training())
    radio = training(kind="campana_medios", title="Radio: No te dejes engañar", hours=None,
                     topics=["trata"], test_max=None)
    services.reach_record(actor=team["prevention"], activity=radio,
                          estimated_audience=6_500_000, source="CPI, estudio de audiencia",
                          method="Oyentes promedio por emisión × emisiones")
    with pytest.raises(ValidationError):
        attend(radio)
    reached = selectors.people_trained(team["prevention"], *RANGE)
    assert reached.total == 1
    [reach] = selectors.campaign_reach(team["prevention"], *RANGE)
    assert reach["estimated"] == 6_500_000


def test_a_training_needs_a_curriculum_and_other_roles_cannot_write(team, training):
    with pytest.raises(ValidationError) as error:
        training(topics=[])
    assert "topics" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        training(hours=None)
    assert "hours" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.activity_save(actor=team["coordinator"], data={"office": team[
            "coordinator"].role_assignments.first().office})


def test_reaction_is_satisfaction_from_one_to_five_with_its_response_rate(team, training,
                                                                          attend):
    event = training(test_max=None)  # no test: satisfaction is asked all the same
    rosa, luz = (attend(event, given_names=n, surnames="Flores").participant
                 for n in ("Rosa", "Luz"))
    services.score_record(actor=team["prevention"], activity=event, participant=rosa,
                          phase="reaccion", score=4)
    with pytest.raises(ValidationError, match="5"):
        services.score_record(actor=team["prevention"], activity=event, participant=luz,
                              phase="reaccion", score=9)
    with pytest.raises(ValidationError):  # a test score needs the test's highest score
        services.score_record(actor=team["prevention"], activity=event, participant=luz,
                              phase="pre", score=9)
    result = selectors.learning(selectors.activities_for(team["prevention"]))
    assert (result.reacted, result.attended, result.reaction_mean) == (1, 2, 4)
    assert result.reaction_rate == 50 and result.matched == 0


def test_the_same_name_with_another_document_is_another_person(team, training, attend):
    event = training()
    attend(event, document_number="45678912")
    attend(event, document_number="09876543")  # a namesake at the same court
    attend(training(day=date(2023, 7, 1)))  # no document: cannot tell, counted with the first
    assert Participant.objects.count() == 2
    assert selectors.people_trained(team["prevention"], *RANGE).total == 2
