"""The teams API: teams, worklists, visits and the batch sync, scoped like the pages."""

import datetime as dt
import uuid

import pytest

from langso.teams.models import Visit
from tests.factories.accounts import analyst, commune_officer, team_member
from tests.factories.geo import VillageFactory
from tests.factories.registry import household
from tests.factories.sessions import api_client
from tests.factories.teams import team
from tests.factories.teams import team_member as add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    return VillageFactory(commune_id="01273", name="Nà Rị")


def _visit(home, **kw):
    return {
        "client_id": str(uuid.uuid4()),
        "household": home.pk,
        "visited_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        **kw,
    }


def test_a_batch_of_visits_is_synced_through_the_api(village):
    home = household(village)
    client = api_client(team_member(village))
    answer = client.post(
        "/api/v1/teams/visits/sync",
        {"visits": [_visit(home, facts={"has_smartphone": True})]},
        content_type="application/json",
    ).json()
    assert ([r["status"] for r in answer], Visit.objects.count()) == (["stored"], 1)


def test_a_resent_batch_reports_duplicates(village):
    home = household(village)
    client = api_client(team_member(village))
    batch = {"visits": [_visit(home)]}
    client.post("/api/v1/teams/visits/sync", batch, content_type="application/json")
    again = client.post("/api/v1/teams/visits/sync", batch, content_type="application/json")
    assert [r["status"] for r in again.json()] == ["duplicate"]


def test_an_unknown_digital_fact_is_refused(village):
    home = household(village)
    response = api_client(team_member(village)).post(
        "/api/v1/teams/visits/sync",
        {"visits": [_visit(home, facts={"has_spaceship": True})]},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_a_reader_cannot_sync_visits(village):
    home = household(village)
    response = api_client(analyst("04")).post(
        "/api/v1/teams/visits/sync", {"visits": [_visit(home)]}, content_type="application/json"
    )
    assert response.status_code == 403


def test_the_worklist_explains_each_entry(village):
    household(village)
    rows = api_client(team_member(village)).get(f"/api/v1/teams/worklist?village={village.pk}")
    kinds = [r["kind"] for r in rows.json()[0]["reasons"]]
    assert kinds == ["never_visited", "digital_unknown"]  # ethnicity: not for this role


def test_a_team_member_sees_no_worklist_of_another_village(village):
    other = VillageFactory(commune_id="01273", name="Khuổi Khon")
    household(other)
    rows = api_client(team_member(village)).get(f"/api/v1/teams/worklist?village={other.pk}")
    assert rows.json() == []


def test_teams_and_counts_are_scoped_to_my_commune(village):
    add_member(team(village), village)
    team(VillageFactory(commune_id="01279"))
    client = api_client(commune_officer("01273"))
    teams = client.get("/api/v1/teams/teams").json()["items"]
    counts = client.get("/api/v1/teams/teams/counts").json()
    assert (len(teams), counts["teams"], counts["members"]) == (1, 1, 1)


def test_visits_of_another_commune_are_not_listed(village):
    home = household(village)
    api_client(team_member(village)).post(
        "/api/v1/teams/visits/sync", {"visits": [_visit(home)]}, content_type="application/json"
    )
    assert api_client(commune_officer("01279")).get("/api/v1/teams/visits").json()["items"] == []
