"""Account write operations: users with areas, API tokens, second factor."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.accounts.models import ApiToken, AreaAssignment, User
from langso.accounts.roles import Capability, Role
from langso.accounts.scope import area_of
from langso.audit.models import Action
from langso.audit.services import record_change, snapshot

_SECRET_FIELDS = frozenset({"password"})


def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    provinces: list[str] = (),
    communes: list[str] = (),
    villages: list[int] = (),
    is_superuser: bool = False,
) -> User:
    """A user with a role and the units they work in.

    ``actor=None`` is the system (set-up, demo). A person needs MANAGE_USERS, may grant only units
    inside their own area, and cannot create superusers; the password must pass the validators.
    """
    if actor is not None:
        _check_manager(actor)
        if is_superuser:
            raise PermissionDenied
        if not (provinces or communes or villages):
            raise ValidationError({"area": _("Hãy giao ít nhất một địa bàn.")})
        _check_grantable(actor, provinces=provinces, communes=communes, villages=villages)
        validate_password(password, User(username=username, full_name=full_name))
    with transaction.atomic():
        user = User(
            username=username,
            role=role.value if role else "",
            full_name=full_name,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        AreaAssignment.objects.bulk_create(
            [AreaAssignment(user=user, province_id=p) for p in provinces]
            + [AreaAssignment(user=user, commune_id=c) for c in communes]
            + [AreaAssignment(user=user, village_id=v) for v in villages]
        )
        record_change(
            actor=actor,
            action=Action.CREATE,
            obj=user,
            after=snapshot(user, exclude=_SECRET_FIELDS),
        )
    return user


def api_token_create(*, actor: Any, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token for the actor; the plain token is returned once and never stored."""
    plain = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=plain[:8],
            digest=ApiToken.hash(plain),
            expires_at=timezone.now() + timedelta(days=days),
        )
        record_change(actor=actor, action=Action.SECURITY, obj=token, message="API token created")
    return token, plain


def api_token_revoke(*, actor: Any, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=actor)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(actor=actor, action=Action.SECURITY, obj=token, message="API token revoked")


def two_factor_confirm(*, actor: Any, device: Any) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_change(
            actor=actor, action=Action.SECURITY, obj=actor, message="TOTP device confirmed"
        )


def _check_manager(actor: Any) -> None:
    if not actor.can(Capability.MANAGE_USERS):
        raise PermissionDenied


def _check_grantable(actor: Any, *, provinces=(), communes=(), villages=()) -> None:
    """Every unit must lie inside the actor's own area (as a write)."""
    from langso.geo.models import Commune, Village

    area = area_of(actor)
    found_communes = list(Commune.objects.filter(code__in=list(communes)))
    found_villages = list(Village.objects.filter(pk__in=list(villages)).select_related("commune"))
    ok = (
        len(found_communes) == len(set(communes))
        and len(found_villages) == len(set(villages))
        and all(area.covers(province=p, commune=None, village=None) for p in provinces)
        and all(
            area.covers(province=c.province_id, commune=c.code, village=None)
            for c in found_communes
        )
        and all(
            area.covers(province=v.commune.province_id, commune=v.commune_id, village=v.pk)
            for v in found_villages
        )
    )
    if not ok:
        raise ValidationError({"area": _("Địa bàn nằm ngoài phạm vi bạn quản lý.")})


def _managed_user(actor: Any, user_id: int) -> User:
    from langso.accounts.queries import manageable_users

    _check_manager(actor)
    return manageable_users(actor).select_for_update().get(pk=user_id)


def user_update(
    *, actor: Any, user_id: int, full_name: str, phone: str, role: Role, is_active: bool
) -> User:
    """Change a managed user's name, phone, role or whether they may sign in."""
    with transaction.atomic():
        user = _managed_user(actor, user_id)
        if user.pk == actor.pk and (not is_active or role != user.role):
            raise ValidationError(_("Bạn không thể tự đổi vai trò hoặc khóa tài khoản của mình."))
        before = snapshot(user, exclude=_SECRET_FIELDS)
        user.full_name, user.phone, user.role, user.is_active = full_name, phone, role, is_active
        user.full_clean(exclude=["password"])
        user.save(update_fields=["full_name", "phone", "role", "is_active"])
        record_change(
            actor=actor,
            action=Action.UPDATE,
            obj=user,
            before=before,
            after=snapshot(user, exclude=_SECRET_FIELDS),
        )
    return user


def user_area_add(
    *, actor: Any, user_id: int, province: str = "", commune: str = "", village: int | None = None
) -> AreaAssignment:
    """Give a managed user one more unit (exactly one of province, commune, village)."""
    if sum(bool(x) for x in (province, commune, village)) != 1:
        raise ValidationError({"area": _("Chọn đúng một đơn vị: tỉnh, xã hoặc thôn.")})
    with transaction.atomic():
        user = _managed_user(actor, user_id)
        _check_grantable(
            actor,
            provinces=[province] if province else [],
            communes=[commune] if commune else [],
            villages=[village] if village else [],
        )
        assignment, created = AreaAssignment.objects.get_or_create(
            user=user,
            province_id=province or None,
            commune_id=commune or None,
            village_id=village or None,
        )
        if created:
            record_change(
                actor=actor, action=Action.UPDATE, obj=user, message=f"area added: {assignment}"
            )
    return assignment


def user_area_remove(*, actor: Any, user_id: int, assignment_id: int) -> None:
    with transaction.atomic():
        user = _managed_user(actor, user_id)
        assignment = user.areas.get(pk=assignment_id)
        _check_grantable(
            actor,
            provinces=[assignment.province_id] if assignment.province_id else [],
            communes=[assignment.commune_id] if assignment.commune_id else [],
            villages=[assignment.village_id] if assignment.village_id else [],
        )
        label = str(assignment)
        assignment.delete()
        record_change(actor=actor, action=Action.UPDATE, obj=user, message=f"area removed: {label}")


def user_set_password(*, actor: Any, user_id: int, password: str) -> None:
    """Set a new password for a managed user (they should change it at once)."""
    with transaction.atomic():
        user = _managed_user(actor, user_id)
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        record_change(actor=actor, action=Action.SECURITY, obj=user, message="password reset")
