"""Roles and what each may do (pure: no Django).

A role says *what* a user may do; the user's area assignments say *where* (see ``scope``).
"""

from enum import StrEnum


class Role(StrEnum):
    PROVINCE_ADMIN = "province_admin"  # quản trị cấp tỉnh
    COMMUNE_OFFICER = "commune_officer"  # cán bộ xã
    TEAM_LEADER = "team_leader"  # tổ trưởng tổ công nghệ số cộng đồng
    TEAM_MEMBER = "team_member"  # thành viên tổ công nghệ số cộng đồng
    ANALYST = "analyst"  # chuyên viên phân tích (chỉ đọc)


class Capability(StrEnum):
    MANAGE_USERS = "manage_users"
    EDIT_VILLAGES = "edit_villages"
    EDIT_HOUSEHOLDS = "edit_households"  # register households and members, merge duplicates
    RECORD_OBSERVATIONS = "record_observations"  # what a household has and does, on a date
    EDIT_UNITS = "edit_units"  # e.g. override a commune's rural/urban area type
    VIEW_AUDIT = "view_audit"
    VIEW_SENSITIVE = "view_sensitive"  # ethnicity, health, ID numbers (personal data law)
    RUN_IMPORTS = "run_imports"
    ASSESS_POVERTY = "assess_poverty"  # run and store assessments under a poverty standard
    USE_API = "use_api"
    MANAGE_TEAMS = "manage_teams"  # establish community digital teams, add their members
    DRAFT_ANNOUNCEMENTS = "draft_announcements"  # write announcements and submit them
    APPROVE_ANNOUNCEMENTS = "approve_announcements"  # approve, update and cancel (not one's own)
    SEND_EMERGENCY = "send_emergency"  # the logged fast path: an emergency without an approver
    MANAGE_OUTREACH = "manage_outreach"  # radio stations, clusters, boards, channels, dictionary
    ANSWER_FEEDBACK = "answer_feedback"  # answer residents' questions, publish answers
    EDIT_INFRASTRUCTURE = "edit_infrastructure"  # base stations, coverage, hotspots, subscribers


CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PROVINCE_ADMIN: frozenset(Capability),
    Role.COMMUNE_OFFICER: frozenset(
        {
            Capability.EDIT_VILLAGES,
            Capability.EDIT_HOUSEHOLDS,
            Capability.RECORD_OBSERVATIONS,
            Capability.VIEW_AUDIT,
            Capability.VIEW_SENSITIVE,
            Capability.RUN_IMPORTS,
            Capability.ASSESS_POVERTY,
            Capability.USE_API,
            Capability.MANAGE_TEAMS,
            Capability.DRAFT_ANNOUNCEMENTS,
            Capability.APPROVE_ANNOUNCEMENTS,
            Capability.SEND_EMERGENCY,
            Capability.MANAGE_OUTREACH,
            Capability.ANSWER_FEEDBACK,
            Capability.EDIT_INFRASTRUCTURE,
        }
    ),
    Role.TEAM_LEADER: frozenset({Capability.RECORD_OBSERVATIONS, Capability.USE_API}),
    Role.TEAM_MEMBER: frozenset({Capability.RECORD_OBSERVATIONS, Capability.USE_API}),
    Role.ANALYST: frozenset({Capability.USE_API}),
}

# Officials who must use a second factor (TOTP) to sign in; others may turn it on.
TWO_FACTOR_REQUIRED: frozenset[Role] = frozenset({Role.PROVINCE_ADMIN})


def has_capability(role: str | None, capability: Capability) -> bool:
    """True if the role grants the capability; an unknown or empty role grants nothing."""
    try:
        return capability in CAPABILITIES[Role(role)]
    except ValueError:
        return False
