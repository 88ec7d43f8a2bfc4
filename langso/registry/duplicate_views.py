"""Pages for probable duplicates: the list, and two records side by side to merge or dismiss.

Only users who may edit households see them. Reads go through ``registry.duplicates`` (scoped to
the user's area); decisions through its services. ID numbers show as their last four digits,
and only to users who may see personal data; every such showing is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from langso.accounts.roles import Capability
from langso.audit.services import record_read
from langso.geo.queries import communes_for
from langso.registry import duplicates
from langso.registry.dedup_rules import REASONS, SAME_ID


def _require_editor(request: HttpRequest) -> None:
    if not request.user.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Groups of probable duplicates, people or households, a page at a time."""
    _require_editor(request)
    user = request.user
    kind = request.GET.get("kind")
    kind = kind if kind in duplicates.KINDS else duplicates.PERSON
    reason = _reason(request)
    communes = communes_for(user).order_by("name")
    many = communes.count() > 1
    commune = request.GET.get("commune", "") if many else ""
    if commune and not communes.filter(code=commune).exists():
        commune = ""
    page = duplicates.duplicate_groups(
        user, kind=kind, reason=reason, page=request.GET.get("page") or 1, commune=commune or None
    )
    sensitive = user.can(Capability.VIEW_SENSITIVE)
    shown = sum(1 for group in page for r in group.records if r.last4) if sensitive else 0
    if shown:
        record_read(
            actor=user,
            object_type="registry.member",
            fields=("id_number_last4",),
            count=shown,
            message="danh sách hộ và người trùng",
        )
    return render(
        request,
        "registry/duplicates.html",
        {
            "page": page,
            "kind": kind,
            "reason": reason,
            "commune": commune,
            "communes": communes if many else None,
            "reasons": [(key, duplicates.REASON_LABELS[key]) for key in REASONS],
            "sensitive": sensitive,
        },
    )


def _reason(request: HttpRequest) -> str:
    reason = request.POST.get("reason") or request.GET.get("reason")
    return reason if reason in REASONS else SAME_ID


def _list_url(kind: str, reason: str) -> str:
    return f"{reverse('registry:duplicates')}?kind={kind}&reason={reason}"


def _decide(request: HttpRequest, kind: str, first: int, second: int) -> HttpResponse:
    action = request.POST.get("action", "")
    user = request.user
    merge = duplicates.person_merge if kind == duplicates.PERSON else duplicates.household_merge
    try:
        if action in ("keep_first", "keep_second"):
            keep, drop = (first, second) if action == "keep_first" else (second, first)
            result = merge(actor=user, keep_id=keep, drop_id=drop)
        elif action == "dismiss":
            duplicates.duplicate_dismiss(
                actor=user,
                kind=kind,
                first_id=first,
                second_id=second,
                note=request.POST.get("note", ""),
            )
        else:
            messages.error(request, _("Chưa chọn việc cần làm."))
            return redirect("registry:duplicate_compare", kind=kind, first=first, second=second)
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:duplicate_compare", kind=kind, first=first, second=second)
    if action == "dismiss":
        messages.success(request, _("Đã ghi nhận: hai hồ sơ này không trùng."))
    else:
        messages.success(request, _("Đã gộp. Giữ lại: %(k)s.") % {"k": result.kept})
        if result.conflicts:
            messages.warning(
                request,
                _(
                    "Một số thông tin khác nhau giữa hai hồ sơ; đã giữ theo hồ sơ được giữ lại, "
                    "hãy kiểm tra và sửa nếu cần: %(f)s."
                )
                % {"f": "; ".join(result.conflict_labels)},
            )
    return redirect(_list_url(kind, _reason(request)))


@login_required
def duplicate_compare(request: HttpRequest, kind: str, first: int, second: int) -> HttpResponse:
    """Two records side by side; POST merges (keeping the left or right one) or dismisses."""
    _require_editor(request)
    if kind not in duplicates.KINDS or first == second:
        raise Http404
    try:
        comparison = duplicates.compare(request.user, kind=kind, first_id=first, second_id=second)
    except ObjectDoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        return _decide(request, kind, first, second)
    sensitive = request.user.can(Capability.VIEW_SENSITIVE)
    if sensitive:
        people = [m for side in (comparison.first, comparison.second) for m in side.members]
        record_read(
            actor=request.user,
            object_type="registry.member",
            fields=("ethnicity", "id_number_last4"),
            count=len(people),
            message=f"so sánh hồ sơ trùng: {kind} {first} và {second}",
            place=comparison.first.household,
        )
    return render(
        request,
        "registry/duplicate_compare.html",
        {
            "c": comparison,
            "sides": (comparison.first, comparison.second),
            "kind": kind,
            "sensitive": sensitive,
            "reason": _reason(request),
            "list_url": _list_url(kind, _reason(request)),
        },
    )
