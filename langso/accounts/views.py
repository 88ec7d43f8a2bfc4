"""Sign-in, second factor, the account page and the home page of each role."""

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from langso.accounts import services, twofactor
from langso.accounts.forms import ApiTokenForm, LoginForm, TokenCodeForm
from langso.accounts.models import ROLE_LABELS
from langso.accounts.roles import Capability, Role
from langso.accounts.scope import area_of
from langso.geo.queries import communes_for, provinces_for, villages_for
from langso.jobs.queries import jobs_for
from langso.registry.queries import households_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a TOTP code; on first use, scan the QR code and confirm it with a code."""
    user = request.user
    device = twofactor.confirmed_device(user)
    setting_up = device is None
    if setting_up:
        device = twofactor.pending_device(user)
    form = TokenCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if setting_up:
                services.two_factor_confirm(actor=user, device=device)
            otp_login(request, device)
            return redirect(request.GET.get("next") or "home")
        form.add_error("code", _("Mã không đúng hoặc đã hết hạn."))
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=5)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and user.can(Capability.USE_API) and form.is_valid():
        _token, new_token = services.api_token_create(
            actor=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/account.html",
        {
            "role_label": _role_label(user),
            "areas": user.areas.select_related("province", "commune", "village"),
            "tokens": user.api_tokens.filter(revoked_at=None).order_by("-created_at"),
            "token_form": form if user.can(Capability.USE_API) else None,
            "new_token": new_token,
            "two_factor_on": twofactor.confirmed_device(user) is not None,
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    services.api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("Đã thu hồi khóa API."))
    return redirect("account")


def _role_label(user) -> str:
    if user.is_superuser and not user.role:
        return _("Quản trị hệ thống")
    try:
        return str(ROLE_LABELS[Role(user.role)])
    except ValueError:
        return _("Chưa có vai trò")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What a user needs first, by role: their area, its units, recent work."""
    user = request.user
    area = area_of(user)
    communes = communes_for(user)
    villages = villages_for(user)
    context = {
        "role_label": _role_label(user),
        "area": area,
        "areas": user.areas.select_related("province", "commune", "village"),
        "province_count": provinces_for(user).count(),
        "commune_count": communes.count(),
        "village_count": villages.count(),
        "household_count": households_for(user).filter(is_active=True).count(),
        "recent_jobs": jobs_for(user)[:5],
        "can_edit_villages": user.can(Capability.EDIT_VILLAGES),
        "can_import": user.can(Capability.RUN_IMPORTS),
        "can_view_audit": user.can(Capability.VIEW_AUDIT),
        "is_team": user.role in (Role.TEAM_LEADER, Role.TEAM_MEMBER),
        "is_analyst": user.role == Role.ANALYST,
    }
    if area.communes or area.provinces or area.everything:
        context["top_communes"] = communes.annotate(village_count=Count("villages")).order_by(
            "-village_count", "code"
        )[:8]
    if user.role in (Role.TEAM_LEADER, Role.TEAM_MEMBER):
        context["my_villages"] = villages.filter(pk__in=area.villages)[:50]
    return render(request, "accounts/home.html", context)
