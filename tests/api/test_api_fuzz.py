"""Property-based: whatever schemathesis derives from our OpenAPI document, sent with a valid
token, the API never answers 500 (bad input must be a 4xx with a JSON body)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from langso.wsgi import application
from tests.factories.accounts import province_admin
from tests.factories.sessions import api_client


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return schema, sorted((r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations())


SCHEMA, OPERATIONS = _operations()


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes a
    connection that is inside a transaction (the test's); Django's test client disconnects it the
    same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_never_answers_500(method, path):
    client = api_client(province_admin("04"))
    headers = {"Authorization": client.defaults["HTTP_AUTHORIZATION"]}
    operation = SCHEMA[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    check()
