import json

import pytest
from django.test import Client
from openapi_spec_validator import validate

from langso.accounts.models import ApiToken
from langso.geo.models import Village
from tests.factories.accounts import analyst, commune_officer
from tests.factories.geo import VillageFactory
from tests.factories.sessions import api_client

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_openapi_3():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/geo/convert" in document["paths"]


def test_requests_without_a_token_get_401_json():
    response = Client().get("/api/v1/geo/communes")
    assert response.status_code == 401
    assert response.json() == {"detail": "authentication required"}


def test_a_revoked_token_no_longer_works():
    officer = commune_officer()
    client = api_client(officer)
    ApiToken.objects.filter(user=officer).update(revoked_at="2026-01-01T00:00Z")
    assert client.get("/api/v1/me").status_code == 401


def test_me_tells_the_role_and_area():
    body = api_client(commune_officer("01273")).get("/api/v1/me").json()
    assert (body["role"], body["area"]["communes"]) == ("commune_officer", ["01273"])


def test_officer_creates_a_village_through_the_api():
    response = api_client(commune_officer("01273")).post(
        "/api/v1/geo/villages",
        {"commune_code": "01273", "name": "Nà Rị", "kind": "ban"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Village.objects.get(pk=response.json()["id"]).kind == "ban"


def test_malformed_json_is_a_4xx_with_a_json_body():
    response = api_client(commune_officer()).post(
        "/api/v1/geo/villages", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_invalid_fields_are_422_naming_the_field():
    response = api_client(commune_officer()).post(
        "/api/v1/geo/villages",
        {"commune_code": "12", "name": "", "kind": "castle"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["loc"][-1] for e in response.json()["errors"]}
    assert {"commune_code", "name", "kind"} <= fields


def test_duplicate_village_is_400_with_the_reason():
    VillageFactory(commune_id="01273", name="Nà Rị")
    response = api_client(commune_officer("01273")).post(
        "/api/v1/geo/villages",
        {"commune_code": "01273", "name": "nà rị"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"


def test_read_only_role_gets_403_on_writes():
    response = api_client(analyst("04")).post(
        "/api/v1/geo/villages",
        {"commune_code": "01273", "name": "Nà Rị"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_village_can_be_renamed_and_deleted_through_the_api():
    village = VillageFactory(commune_id="01273", name="Cũ")
    client = api_client(commune_officer("01273"))
    patched = client.patch(
        f"/api/v1/geo/villages/{village.pk}",
        json.dumps({"name": "Mới"}),
        content_type="application/json",
    )
    assert patched.json()["name"] == "Mới"
    assert client.delete(f"/api/v1/geo/villages/{village.pk}").status_code == 204
    assert not Village.objects.filter(pk=village.pk).exists()


def test_convert_endpoint_returns_the_current_commune():
    response = api_client(analyst("04")).get(
        "/api/v1/geo/convert",
        {"province": "Bắc Giang", "district": "Thành phố Bắc Giang", "commune": "Phường Trần Phú"},
    )
    body = response.json()
    assert (body["commune"]["code"], body["province"]["code"]) == ("07210", "24")


def test_convert_with_an_unknown_unit_is_400_not_500():
    response = api_client(analyst("04")).get("/api/v1/geo/convert", {"address": "x, y, z"})
    assert response.status_code == 400
    assert "no such unit" in response.json()["detail"]


def test_communes_can_be_searched_by_name_without_marks():
    response = api_client(analyst("04")).get("/api/v1/geo/communes", {"q": "thuc phan"})
    assert [c["code"] for c in response.json()["items"]] == ["01273"]


def test_unknown_route_is_a_json_404():
    response = api_client(analyst("04")).get("/api/v1/nothing-here")
    assert response.status_code == 404


def test_page_size_is_capped_at_1000():
    response = api_client(analyst("04")).get("/api/v1/geo/villages", {"limit": 5000})
    assert response.status_code == 422


def test_an_offset_beyond_any_integer_column_is_422_not_500():
    response = api_client(analyst("04")).get("/api/v1/jobs", {"offset": 32589158477190044730})
    assert response.status_code == 422


def test_a_nul_byte_in_a_name_is_dropped_not_a_500():
    response = api_client(commune_officer("01273")).post(
        "/api/v1/geo/villages",
        {"commune_code": "01273", "name": "Nà\x00 Rị"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Nà Rị"
