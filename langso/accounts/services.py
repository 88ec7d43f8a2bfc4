"""Account write operations: users with areas, API tokens, second factor."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from langso.accounts.models import ApiToken, AreaAssignment, User
from langso.accounts.roles import Role
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
    """A user with a role and the units they work in."""
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
