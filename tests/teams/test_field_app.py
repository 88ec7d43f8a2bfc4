"""The field app's server side: its data for the phone and the sync of its queue."""

import base64
import datetime as dt
import json
import uuid

import pytest

from langso.teams.models import Visit
from tests.factories.accounts import commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import signed_in

pytestmark = pytest.mark.django_db
# the smallest JPEG a canvas makes (1×1 pixel)
JPEG = base64.b64encode(
    bytes.fromhex(
        "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c"
        "1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0"
        "000b080001000101011100ffc4001400010000000000000000000000000000000affc4001410010000000000000000"
        "0000000000000000ffda0008010100003f00d2cf20ffd9"
    )
).decode()


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def _sync(client, *visits):
    response = client.post(
        "/teams/field/sync/", json.dumps({"visits": list(visits)}), content_type="application/json"
    )
    return response.json()["results"]


def _visit(home, **kw):
    return {
        "client_id": str(uuid.uuid4()),
        "household": home.pk,
        "visited_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "present": [home.members.get(relationship="head").pk],
        **kw,
    }


def test_the_phone_gets_only_the_households_of_my_villages(village):
    mine = household(village)
    household(VillageFactory(commune_id="01273", name="Khuổi Khon"))
    data = signed_in(team_member(village)).get("/teams/field/data.json").json()
    assert [h["id"] for h in data["households"]] == [mine.pk]
    assert {"skills", "consent_methods", "recent_visits"} <= set(data)


def test_an_officer_with_too_many_households_is_asked_to_choose_villages(village, monkeypatch):
    from langso.teams import queries

    monkeypatch.setattr(queries, "FIELD_HOUSEHOLDS_MAX", 1)
    household(village)
    household(village)
    response = signed_in(commune_officer("01273")).get("/teams/field/data.json")
    assert response.status_code == 400
    assert "hãy chọn thôn" in response.json()["error"]


def test_a_visit_with_a_photo_keeps_the_photo(village):
    home = household(village)
    (result,) = _sync(
        signed_in(team_member(village)),
        _visit(home, consent_method="signed_form", photo=f"data:image/jpeg;base64,{JPEG}"),
    )
    assert result["status"] == "stored"
    assert Visit.objects.get().photo.read()[:2] == b"\xff\xd8"


def test_a_photo_without_consent_is_refused_and_the_visit_kept_on_the_phone(village):
    home = household(village)
    (result,) = _sync(
        signed_in(team_member(village)), _visit(home, photo=f"data:image/jpeg;base64,{JPEG}")
    )
    assert (result["status"], list(result["errors"])) == ("refused", ["consent"])


def test_a_malformed_visit_is_refused_without_holding_back_the_rest(village):
    home = household(village)
    results = _sync(signed_in(team_member(village)), {"client_id": "x"}, _visit(home))
    assert [r["status"] for r in results] == ["refused", "stored"]


def test_the_service_worker_is_served_under_the_apps_scope(village):
    response = signed_in(team_member(village)).get("/teams/field/sw.js")
    assert (response["Content-Type"], b"langso-field-v1" in response.content) == (
        "text/javascript",
        True,
    )
