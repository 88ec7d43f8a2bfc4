"""The caller's own account: role, capabilities and area."""

from django.http import HttpRequest
from ninja import Router, Schema

from langso.accounts.roles import CAPABILITIES, Role
from langso.accounts.scope import area_of

router = Router()


class AreaOut(Schema):
    everything: bool
    provinces: list[str]
    communes: list[str]
    villages: list[int]


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    capabilities: list[str]
    area: AreaOut


@router.get("", response=MeOut, summary="Who am I, and where may I read")
def me(request: HttpRequest):
    user = request.auth
    area = area_of(user)
    try:
        caps = sorted(CAPABILITIES[Role(user.role)])
    except ValueError:
        caps = []
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "capabilities": caps,
        "area": {
            "everything": area.everything,
            "provinces": sorted(area.provinces),
            "communes": sorted(area.communes),
            "villages": sorted(area.villages),
        },
    }
