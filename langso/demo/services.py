"""Builds the demo province in the database from a plan; each app adds its part through demo.py."""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from langso.accounts.models import User
from langso.accounts.roles import Role
from langso.accounts.services import user_create
from langso.audit.services import record_batch
from langso.demo.generator import CommuneInput, ProvincePlan, plan_province
from langso.geo.models import Commune, Province, Village
from langso.geo.names import plain, village_key

DEMO_PASSWORD = "langso-demo"
# Apps that add their own data to the demo province implement demo.contribute(plan, progress).
CONTRIBUTORS: list[str] = [
    "langso.registry.demo",
    "langso.poverty.demo",
    "langso.teams.demo",
    "langso.outreach.demo",
    "langso.infra.demo",
    "langso.reports.demo",  # last: it sums what the others built
]


@dataclass
class DemoLogin:
    username: str
    role: str
    area: str
    totp: bool = False


@dataclass
class DemoResult:
    province: Province
    plan: ProvincePlan
    villages_created: int
    logins: list[DemoLogin] = field(default_factory=list)


def province_of(plan: ProvincePlan) -> str | None:
    """The code of the province a plan is for (None for an empty plan), for contributors."""
    if not plan.villages:
        return None
    commune = Commune.objects.filter(code=plan.villages[0].commune_code)
    return commune.values_list("province_id", flat=True).first()


def province_plan(province_code: str, *, households: int, seed: int) -> ProvincePlan:
    communes = [
        CommuneInput(c.code, c.kind, c.area_km2)
        for c in Commune.objects.filter(province_id=province_code).order_by("code")
    ]
    return plan_province(communes, households=households, seed=seed)


def demo_build(
    *,
    province_code: str = "04",
    households: int = 130_000,
    seed: int = 2023,
    with_users: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> DemoResult:
    """Create the villages (and demo users) of a synthetic province; idempotent for a seed."""
    province = Province.objects.get(code=province_code)
    plan = province_plan(province_code, households=households, seed=seed)
    progress(f"{province.name}: {len(plan.villages):,} villages, {plan.households:,} households")
    with transaction.atomic():
        existing = set(
            Village.objects.filter(commune__province=province).values_list("commune_id", "name_key")
        )
        new = []
        for v in plan.villages:
            key = village_key(v.name)
            if (v.commune_code, key) not in existing:
                existing.add((v.commune_code, key))
                new.append(
                    Village(
                        commune_id=v.commune_code,
                        name=v.name,
                        kind=v.kind,
                        name_key=key,
                        plain_name=plain(v.name),
                    )
                )
        Village.objects.bulk_create(new, batch_size=2000)
        record_batch(
            actor=None,
            object_type="geo.village",
            counts={"created": len(new), "planned": len(plan.villages)},
            message=f"Demo villages for {province.name} (seed {seed})",
            place=province,
        )
        logins = _demo_users(province, seed) if with_users else []
    for dotted in CONTRIBUTORS:
        import_module(dotted).contribute(plan=plan, progress=progress)
    return DemoResult(province, plan, len(new), logins)


def _totp_device(user: User, seed: int) -> None:
    key = hashlib.sha256(f"langso-demo:{seed}:{user.username}".encode()).digest()[:20]
    TOTPDevice.objects.get_or_create(
        user=user, name="demo", defaults={"key": binascii.hexlify(key).decode(), "confirmed": True}
    )


def _demo_users(province: Province, seed: int) -> list[DemoLogin]:
    communes = list(province.communes.order_by("code"))
    town = next((c for c in communes if c.kind == "phuong"), communes[0])
    rural = next((c for c in communes if c.kind == "xa"), communes[-1])
    village = Village.objects.filter(commune=rural).order_by("name").first()
    other_village = Village.objects.filter(commune=rural).order_by("name")[1:2].first() or village
    specs = [
        ("admin", None, "", {"is_superuser": True}, "toàn quốc"),
        (
            "tinh.admin",
            Role.PROVINCE_ADMIN,
            "Quản trị Sở",
            {"provinces": [province.code]},
            province.name,
        ),
        (
            "phan.tich",
            Role.ANALYST,
            "Chuyên viên thống kê",
            {"provinces": [province.code]},
            province.name,
        ),
        (
            "xa.canbo",
            Role.COMMUNE_OFFICER,
            "Cán bộ văn hóa - xã hội",
            {"communes": [rural.code]},
            rural.name,
        ),
        (
            "phuong.canbo",
            Role.COMMUNE_OFFICER,
            "Cán bộ phường",
            {"communes": [town.code]},
            town.name,
        ),
        (
            "to.truong",
            Role.TEAM_LEADER,
            "Tổ trưởng tổ CNS",
            {"villages": [village.pk]},
            f"{village}, {rural.name}",
        ),
        (
            "to.vien",
            Role.TEAM_MEMBER,
            "Thành viên tổ CNS",
            {"villages": [other_village.pk]},
            f"{other_village}, {rural.name}",
        ),
    ]
    logins = []
    for username, role, full_name, area, label in specs:
        user = User.objects.filter(username=username).first()
        if user is None:
            extra = {k: v for k, v in area.items() if k != "is_superuser"}
            user = user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                full_name=full_name,
                is_superuser=area.get("is_superuser", False),
                **extra,
            )
        needs_totp = username in {"admin", "tinh.admin"}
        if needs_totp:
            _totp_device(user, seed)
        logins.append(DemoLogin(username, role.value if role else "superuser", label, needs_totp))
    return logins
