"""Teams endpoints: teams and members, a village's worklist, visits and the offline batch sync.

Scoped like the pages: a team member reads and writes only the households of their villages.
"""

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from langso.accounts.roles import Capability
from langso.api.pagination import Page
from langso.registry.records import DIGITAL_FIELDS
from langso.teams import queries
from langso.teams.services import VisitRecord, visits_sync

router = Router()
Outcome = Literal["shown", "practised", "alone"]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # what the databases can store


class TeamOut(Schema):
    id: int
    name: str
    level: str
    commune: str = Field(..., alias="commune_id")
    village: int | None = Field(None, alias="village_id")
    decision_number: str
    decision_date: dt.date | None
    established_on: dt.date
    dissolved_on: dt.date | None


class TeamMemberOut(Schema):
    id: int
    team: int = Field(..., alias="team_id")
    full_name: str
    role: str
    kind: str
    villages: list[int]
    starts_on: dt.date
    ends_on: dt.date | None

    @staticmethod
    def resolve_villages(obj) -> list[int]:
        return sorted(v.pk for v in obj.villages.all())


class CountsOut(Schema):
    teams: int
    village_teams: int
    commune_teams: int
    members: int


class WorklistQuery(Schema):
    village: list[Id] = Field(..., description="village ids (within your area)")
    limit: int = Field(200, ge=1, le=5000)


class ReasonOut(Schema):
    kind: str
    text: str
    points: int


class WorkEntryOut(Schema):
    household: int
    code: str
    village: int
    points: int
    reasons: list[ReasonOut]
    skills: list[str] = Field(..., description="skill codes the household lacks, in order")
    last_visit: dt.date | None


class VisitIn(Schema):
    client_id: uuid.UUID = Field(..., description="the phone's own id: a resend is no duplicate")
    household: Id
    visited_on: dt.date
    present: list[Id] = []
    skills: dict[str, Outcome] = {}
    needs: str = ""
    facts: dict[str, bool | int | None] = Field({}, description="digital facts seen")
    base: dict[str, bool | int | None] = Field(
        {}, description="for each fact sent, the value the phone showed (conflict detection)"
    )
    consent_method: str = ""


class SyncIn(Schema):
    visits: list[VisitIn] = Field(..., max_length=500)


class ConflictOut(Schema):
    field: str
    base: bool | int | None
    mine: bool | int | None
    theirs: bool | int | None


class SyncOut(Schema):
    client_id: uuid.UUID
    status: Literal["stored", "duplicate", "refused"]
    visit: int | None
    errors: dict[str, list[str]]
    conflicts: list[ConflictOut]


class VisitOut(Schema):
    id: int
    household: int = Field(..., alias="household_id")
    village: int = Field(..., alias="village_id")
    visited_on: dt.date
    team_member: int | None = Field(None, alias="team_member_id")
    consent: bool
    skills: dict[str, str]

    @staticmethod
    def resolve_skills(obj) -> dict[str, str]:
        return {s.skill: s.outcome for s in obj.skills.all()}


@router.get("/teams", response=list[TeamOut], summary="Teams in your area")
@paginate(Page)
def list_teams(request: HttpRequest):
    return queries.teams_for(request.auth).order_by("commune_id", "name", "id")


@router.get("/teams/counts", response=CountsOut, summary="Teams and active members, counted")
def team_counts(request: HttpRequest):
    return queries.team_counts(request.auth, timezone.localdate())


@router.get("/members", response=list[TeamMemberOut], summary="Team members in your area")
@paginate(Page)
def list_members(request: HttpRequest):
    return (
        queries.team_members_for(request.auth)
        .prefetch_related("villages")
        .order_by("team_id", "id")
    )


@router.get("/worklist", response=list[WorkEntryOut], summary="Who to visit next, and why")
def worklist(request: HttpRequest, query: Query[WorklistQuery]):
    language = "en" if (request.headers.get("Accept-Language") or "").startswith("en") else "vi"
    sensitive = request.auth.can(Capability.VIEW_SENSITIVE)
    out = []
    for entry, household in queries.worklist_for(
        request.auth, query.village, timezone.localdate(), limit=query.limit
    ):
        reasons = [r for r in entry.reasons if sensitive or not r.sensitive]
        out.append(
            {
                "household": entry.household_id,
                "code": entry.code,
                "village": household.village_id,
                "points": entry.points,
                "reasons": [
                    {"kind": r.kind, "text": r.text(language), "points": r.points} for r in reasons
                ],
                "skills": list(entry.skills),
                "last_visit": entry.last_visit,
            }
        )
    return out


@router.get("/visits", response=list[VisitOut], summary="Visits in your area, newest first")
@paginate(Page)
def list_visits(request: HttpRequest, household: Id | None = None):
    visits = queries.visits_for(request.auth).prefetch_related("skills")
    if household is not None:
        visits = visits.filter(household_id=household)
    return visits.order_by("-visited_on", "-id")


@router.post(
    "/visits/sync",
    response=list[SyncOut],
    summary="Store a batch of visits recorded offline; each gets its own outcome",
)
def sync_visits(request: HttpRequest, payload: SyncIn):
    if not request.auth.can(Capability.RECORD_OBSERVATIONS):
        raise HttpError(403, "your role does not record visits")
    unknown = {k for v in payload.visits for k in v.facts} - set(DIGITAL_FIELDS)
    if unknown:
        raise HttpError(422, f"unknown digital facts: {sorted(unknown)}")
    records = [
        VisitRecord(
            household_id=v.household,
            visited_on=v.visited_on,
            present=v.present,
            skills=dict(v.skills),
            needs=v.needs,
            facts=dict(v.facts),
            consent_method=v.consent_method,
            client_id=v.client_id,
            base={k: x for k, x in v.base.items() if k in v.facts},
        )
        for v in payload.visits
    ]
    return [
        {
            "client_id": o.client_id,
            "status": o.status,
            "visit": o.visit_id,
            "errors": o.errors,
            "conflicts": [
                {"field": c.field, "base": c.base, "mine": c.mine, "theirs": c.theirs}
                for c in o.conflicts
            ],
        }
        for o in visits_sync(actor=request.auth, records=records)
    ]


@router.get("/visits/{visit_id}", response=VisitOut, summary="One visit")
def get_visit(request: HttpRequest, visit_id: Id):
    return get_object_or_404(
        queries.visits_for(request.auth).prefetch_related("skills"), pk=visit_id
    )
