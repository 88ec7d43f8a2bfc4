import datetime as dt

from langso.teams.services import team_create, team_member_add
from tests.factories.accounts import commune_officer


def team(village, *, actor=None, **kw):
    """A village team, established by an officer of its commune."""
    actor = actor or commune_officer(village.commune_id)
    kw.setdefault("name", f"Tổ công nghệ số cộng đồng {village.name}")
    kw.setdefault("established_on", dt.date(2025, 3, 1))
    return team_create(actor=actor, commune_code=village.commune_id, village_id=village.pk, **kw)


def team_member(team, *villages, user=None, actor=None, **kw):
    actor = actor or commune_officer(team.commune_id)
    kw.setdefault("full_name", "Nông Thị Hoa")
    kw.setdefault("role", "member")
    kw.setdefault("kind", "youth_union")
    kw.setdefault("starts_on", dt.date(2025, 3, 1))
    return team_member_add(
        actor=actor,
        team_id=team.pk,
        village_ids=[v.pk for v in villages or [team.village]],
        user=user,
        **kw,
    )
