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
