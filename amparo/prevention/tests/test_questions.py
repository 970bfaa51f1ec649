"""A test's questions are data: each person's answers are marked question by question, the score
follows from them, and the activity shows what was learnt question by question over the people
who took both tests."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from amparo.prevention import selectors, services
from amparo.prevention.models import Score

pytestmark = pytest.mark.django_db
QUESTIONS = ["¿Qué es la captación?", "¿Quién denuncia?", "¿Qué es el consentimiento viciado?",
             "¿A dónde se deriva a una víctima?"]


@pytest.fixture
def quiz(training):
    return training(test_questions=QUESTIONS)


def _score(team, activity, who, phase, **kw):
    return services.score_record(actor=team["prevention"], activity=activity,
                                 participant=who.participant, phase=phase, **kw)


def test_the_score_follows_from_the_answers(team, quiz, attend):
    rosa = attend(quiz)
    score = _score(team, quiz, rosa, "pre", answers=[True, False, True, None])
    assert score.score == Decimal("10.0") and score.answers == [True, False, True, None]
    with pytest.raises(ValidationError, match=r"10\.0"):
        _score(team, quiz, rosa, "post", answers=[True, False, True, None], score=12)
    with pytest.raises(ValidationError, match="4"):
        _score(team, quiz, rosa, "post", answers=[True, True])
    with pytest.raises(ValidationError):
        _score(team, quiz, rosa, "reaccion", answers=[True] * 4, score=5)
    with pytest.raises(ValidationError):
        _score(team, quiz, rosa, "post")  # neither score nor answers
    assert _score(team, quiz, rosa, "post", score=15).answers == []  # the sheet was lost


def test_questions_learnt_over_matched_pairs_only(team, quiz, attend):
    rosa, luz = attend(quiz), attend(quiz, given_names="Luz", surnames="Flores")
    edwin = attend(quiz, given_names="Edwin", surnames="Mamani")
    _score(team, quiz, rosa, "pre", answers=[True, False, False, False])
    _score(team, quiz, rosa, "post", answers=[True, True, True, False])
    _score(team, quiz, luz, "pre", answers=[False, False, False, None])
    _score(team, quiz, luz, "post", answers=[True, True, False, None])
    _score(team, quiz, edwin, "pre", answers=[True, True, True, True])  # no post: left out
    first, second, third, fourth = selectors.questions_learnt(quiz)
    assert (first.matched, first.pre_share, first.post_share) == (2, 50, 100)
    assert (second.pre_share, second.post_share) == (0, 100)
    assert (third.pre_share, third.post_share) == (0, 50)
    assert (fourth.pre_share, fourth.post_share) == (0, 0)  # nobody learnt the referral


def test_questions_may_be_reworded_but_not_added_once_answered(team, quiz, attend):
    _score(team, quiz, attend(quiz), "pre", answers=[True, False, True, False])
    data = {"test_questions": [*QUESTIONS[:3], "¿A qué servicio del Estado se deriva?"]}
    services.activity_save(actor=team["prevention"], activity=quiz, data=data)
    quiz.refresh_from_db()
    assert quiz.test_questions[3].startswith("¿A qué servicio")
    with pytest.raises(ValidationError, match="4"):
        services.activity_save(actor=team["prevention"], activity=quiz,
                               data={"test_questions": [*QUESTIONS, "¿Y la reparación?"]})


def test_questions_need_the_highest_score(team, training):
    with pytest.raises(ValidationError):
        training(test_questions=["¿Qué es la trata?"], test_max=None)


def test_the_team_marks_answers_on_the_page_and_downloads_the_questions(client, login, team,
                                                                       quiz, attend):
    rosa = attend(quiz)
    login(team["prevention"])
    url = reverse("prevention:activity", args=[quiz.code])
    for phase, right in (("pre", ["1"]), ("post", ["1", "2", "3"])):
        response = client.post(url, {"action": "score", "s-participant": rosa.participant.pk,
                                     "s-phase": phase, "s-score": "", "s-right": right})
        assert response.status_code == 302
    assert Score.objects.get(phase="post").score == Decimal("15.0")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Quién denuncia?" in page and "Preguntas respondidas bien" in page
    book = load_workbook(BytesIO(client.get(url + "?formato=xlsx").content))
    sheet = book.worksheets[1]
    assert [c.value for c in sheet[2]] == ["1. ¿Qué es la captación?", 100.0, 100.0, 1]
    assert [c.value for c in sheet[3]][1:] == [0.0, 100.0, 1]


def test_a_page_score_without_marks_or_number_says_what_to_do(client, login, team, quiz,
                                                             attend):
    rosa = attend(quiz)
    login(team["prevention"])
    response = client.post(reverse("prevention:activity", args=[quiz.code]), {
        "action": "score", "s-participant": rosa.participant.pk, "s-phase": "pre",
        "s-score": ""}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "marque las preguntas" in response.content.decode()
    assert not Score.objects.exists()
