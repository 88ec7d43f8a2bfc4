"""Danh sách hộ nghèo / hộ cận nghèo: the named list of a review year, one row per member,
household by household, as the summary forms ask (head and members, relationship, year of birth
by sex, ethnicity, whether the household is newly poor, fell back, came from near-poor or was
already poor, person-of-merit and no-working-capacity households).

Ethnicity is sensitive personal data: the column is there only for users who may see it, and
the export is logged as a read (``registry.export.log_export``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langso.accounts.roles import Capability
from langso.poverty import queries
from langso.poverty.models import PovertyClass
from langso.registry.ethnicity import catalogue
from langso.registry.export import Table
from langso.registry.models import Member, Relationship, Sex
from langso.registry.queries import households_for

CHUNK = 2000
STATUS = {
    "old": "Cũ (năm trước cũng là hộ nghèo)",
    "from_near_poor": "Từ hộ cận nghèo",
    "fell_back": "Tái nghèo",
    "new": "Phát sinh mới",
}


def _status(klass: str, before: str | None, ever_poor: bool) -> str:
    """How a household came to be on the list of its class this year."""
    if before == klass:
        return "old"
    if klass == PovertyClass.POOR and before == PovertyClass.NEAR_POOR:
        return "from_near_poor"
    if ever_poor and klass == PovertyClass.POOR:
        return "fell_back"
    return "new"


def _yes(value: bool | None) -> str:
    return "x" if value else ""


def build(user: Any, year: int, klass: str, basis: str = queries.RECORDED) -> Table:
    """The list of ``klass`` (poor or near_poor) households of review year ``year`` in the
    user's area, one row per active member, the head first."""
    if klass not in (PovertyClass.POOR, PovertyClass.NEAR_POOR):
        raise ValueError(f"no named list for class {klass!r}")
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    assessments = (
        queries.current_assessments(user, year, basis)
        .filter(poverty_class=klass)
        .select_related("household", "commune", "village")
        .order_by("unit", "village__name", "household__code")
    )
    headers = [
        "STT",
        "Mã hộ",
        "Xã / phường",
        "Thôn, tổ dân phố",
        "Họ và tên",
        "Quan hệ với chủ hộ",
        "Năm sinh (nam)",
        "Năm sinh (nữ)",
        *(["Dân tộc"] if sensitive else []),
        "Diễn biến",
        "Hộ có người có công",
        "Hộ không có khả năng lao động",
        "Số chỉ số thiếu hụt",
    ]
    relationships = dict(Relationship.choices)
    groups = catalogue()

    def rows() -> Iterator[list[Any]]:
        number = 0
        ids = list(assessments.values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = list(assessments.filter(pk__in=ids[start : start + CHUNK]))
            households = [a.household_id for a in chunk]
            before = dict(
                queries.current_assessments(user, year - 1, basis)
                .filter(household_id__in=households)
                .values_list("household_id", "poverty_class")
            )
            ever_poor = set(
                queries.current_assessments(user, None, basis)
                .filter(
                    household_id__in=households,
                    review_year__lt=year - 1,
                    poverty_class=PovertyClass.POOR,
                )
                .values_list("household_id", flat=True)
            )
            members: dict[int, list[Member]] = {}
            # people of households that live in the user's area today (one assessed here may
            # have moved away since)
            people_here = Member.objects.filter(
                household_id__in=households,
                household__in=households_for(user),
                is_active=True,
            ).order_by("household_id", "pk")
            for m in people_here:
                members.setdefault(m.household_id, []).append(m)
            for a in chunk:
                number += 1
                came = _status(klass, before.get(a.household_id), a.household_id in ever_poor)
                status = STATUS[came]
                people = sorted(
                    members.get(a.household_id, []),
                    key=lambda m: (m.relationship != Relationship.HEAD, m.pk),
                )
                for i, m in enumerate(people):
                    group = groups.by_code(m.ethnicity) if m.ethnicity else None
                    yield [
                        number if i == 0 else "",
                        a.household.code,
                        a.commune.name,
                        a.village.name,
                        m.full_name,
                        str(relationships.get(m.relationship, m.relationship)),
                        m.birth_year if m.sex == Sex.MALE else "",
                        m.birth_year if m.sex != Sex.MALE else "",
                        *([group.name if group else m.ethnicity] if sensitive else []),
                        status if i == 0 else "",
                        _yes(a.is_person_of_merit) if i == 0 else "",
                        _yes(a.no_working_capacity) if i == 0 else "",
                        a.deprived_count if i == 0 else "",
                    ]

    return Table(headers, rows(), ("ethnicity",) if sensitive else ())
