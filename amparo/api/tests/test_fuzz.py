"""The API as a fuzzer sees it: for every operation of /api/v1/schema/, requests generated from
the schema itself (Schemathesis, in process), as several roles. No answer is a 5xx; every 4xx
says what is wrong. Small on purpose (a few examples per operation) so that it runs in CI; the
same check over thousands of requests is `st run` in docs/deploy.md."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from amparo.api.tokens import token_create
from amparo.wsgi import application

pytestmark = pytest.mark.django_db
EXAMPLES = 6


def _operations(token: str):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", application, headers={"Authorization": f"Bearer {token}"})
    return [result.ok() for result in schema.get_all_operations()]


def _has_message(response) -> bool:
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return False
    return bool(body)


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "director"])
def test_no_operation_answers_5xx_and_every_refusal_says_why(role, team, make_case, settings_,
                                                             api_token):
    case = make_case()
    token = api_token(team[role])
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "es"}
    problems = []

    def check(generated):
        if generated.path_parameters and "code" in generated.path_parameters:
            generated.path_parameters["code"] = case.code  # reach the case's own records
        response = generated.call(headers=headers)
        label = f"{generated.operation.method.upper()} {generated.operation.path}"
        if response.status_code >= 500:
            problems.append(f"{label} → {response.status_code}: {response.content[:200]!r}")
        elif response.status_code >= 400 and not _has_message(response):
            problems.append(f"{label} → {response.status_code} without a message")

    for operation in _operations(token):
        settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))(
            given(generated=operation.as_strategy())(check))()
    assert not problems, "\n".join(sorted(set(problems))[:20])


@pytest.fixture
def settings_(settings):
    settings.ALLOWED_HOSTS = ["*"]  # Schemathesis' WSGI client calls itself "localhost"
    # As Django's test client does: a request must not close the test's database connection
    # (it holds the test's transaction; on PostgreSQL a closed one fails every later query).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield settings
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_token():
    def make(user):
        return token_create(actor=None, user=user, name="Fuzzing", reason="Prueba de la API "
                            "con datos generados desde el esquema")[1]
    return make
