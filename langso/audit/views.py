from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from langso.accounts.roles import Capability
from langso.audit.filters import ChangeEventFilter
from langso.audit.queries import events_for


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Capability.VIEW_AUDIT):
        raise PermissionDenied
    filterset = ChangeEventFilter(request.GET or None, queryset=events_for(request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    template = "audit/_rows.html" if request.htmx else "audit/list.html"
    return render(request, template, {"filter": filterset, "page": page})


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    if not request.user.can(Capability.VIEW_AUDIT):
        raise PermissionDenied
    event = get_object_or_404(events_for(request.user), pk=event_id)
    return render(request, "audit/detail.html", {"event": event})
