"""Pages where a provincial administrator manages the accounts of their province."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts import services
from langso.accounts.forms import AreaForm, NewUserForm, UserForm
from langso.accounts.queries import manageable_users, users_for, users_with_areas_for
from langso.accounts.roles import Capability, Role
from langso.accounts.scope import area_of
from langso.geo.queries import communes_for, provinces_for


def _manager(request: HttpRequest):
    if not request.user.can(Capability.MANAGE_USERS):
        raise PermissionDenied
    return request.user


def _area_form(actor, data=None) -> AreaForm:
    area = area_of(actor)
    provinces = (
        provinces_for(actor).filter(code__in=area.provinces)
        if not area.everything
        else (provinces_for(actor))
    )
    communes = communes_for(actor).order_by("name")
    return AreaForm(data, provinces=provinces, communes=communes)


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    users = users_with_areas_for(actor).order_by("role", "username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(full_name__icontains=query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "q": query})


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = NewUserForm(request.POST or None, initial={"role": Role.TEAM_MEMBER.value})
    area_form = _area_form(actor, request.POST or None)
    if request.method == "POST" and form.is_valid() and area_form.is_valid():
        unit = area_form.unit()
        try:
            user = services.user_create(
                actor=actor,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                role=Role(form.cleaned_data["role"]),
                full_name=form.cleaned_data["full_name"],
                provinces=[unit["province"]] if unit.get("province") else [],
                communes=[unit["commune"]] if unit.get("commune") else [],
                villages=[unit["village"]] if unit.get("village") else [],
            )
        except ValidationError as exc:
            _errors_into(area_form if "area" in getattr(exc, "error_dict", {}) else form, exc)
        else:
            if form.cleaned_data["phone"]:
                services.user_update(
                    actor=actor,
                    user_id=user.pk,
                    full_name=user.full_name,
                    phone=form.cleaned_data["phone"],
                    role=Role(user.role),
                    is_active=True,
                )
            messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": user.username})
            return redirect("user_detail", user_id=user.pk)
    return render(request, "accounts/user_new.html", {"form": form, "area_form": area_form})


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _manager(request)
    user = get_object_or_404(users_for(actor), pk=user_id)
    can_change = manageable_users(actor).filter(pk=user.pk).exists()
    form = UserForm(
        request.POST if "save" in request.POST else None,
        initial={
            "full_name": user.full_name,
            "phone": user.phone,
            "role": user.role,
            "is_active": user.is_active,
        },
    )
    area_form = _area_form(actor, request.POST if "add_area" in request.POST else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            if "save" in request.POST and form.is_valid():
                services.user_update(
                    actor=actor,
                    user_id=user.pk,
                    **{**form.cleaned_data, "role": Role(form.cleaned_data["role"])},
                )
                messages.success(request, _("Đã lưu."))
                return redirect("user_detail", user_id=user.pk)
            if "add_area" in request.POST and area_form.is_valid():
                services.user_area_add(actor=actor, user_id=user.pk, **area_form.unit())
                messages.success(request, _("Đã giao thêm địa bàn."))
                return redirect("user_detail", user_id=user.pk)
        except ValidationError as exc:
            _errors_into(area_form if "add_area" in request.POST else form, exc)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": user,
            "form": form,
            "area_form": area_form,
            "can_change": can_change,
            "areas": user.areas.select_related("province", "commune", "village"),
        },
    )


@login_required
@require_POST
def user_area_remove(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    actor = _manager(request)
    try:
        services.user_area_remove(actor=actor, user_id=user_id, assignment_id=assignment_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("user_detail", user_id=user_id)


@login_required
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _manager(request)
    try:
        services.user_set_password(
            actor=actor, user_id=user_id, password=request.POST.get("password", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đặt mật khẩu mới."))
    return redirect("user_detail", user_id=user_id)
