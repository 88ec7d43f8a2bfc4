"""Pages about one person: their details, consents, a copy of their data, erasure on request."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.accounts.roles import Capability
from langso.registry import privacy
from langso.registry.models import Consent, ConsentStatus
from langso.registry.purposes import Purpose, catalogue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("Mục đích"))
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=ConsentStatus.choices)
    given_on = forms.DateField(
        label=gettext_lazy("Ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=gettext_lazy("Hình thức"))
    note = forms.CharField(
        label=gettext_lazy("Ghi chú (người dưới 16 tuổi: ai đồng ý thay)"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        lang = get_language() or "vi"
        self.fields["purpose"].choices = [
            (p.code, p.label(lang)) for p in catalogue().consent_purposes
        ]
        self.fields["method"].choices = [(m.code, m.label(lang)) for m in privacy.consent_methods()]
        self.fields["note"].label = _("Ghi chú (người dưới %(age)s tuổi: ai đồng ý thay)") % {
            "age": catalogue().child_age_below
        }


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do (ai yêu cầu, ngày nào, bằng cách nào)"), max_length=250
    )


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _render_person(request: HttpRequest, member_id: int, form: ConsentForm | None) -> HttpResponse:
    try:
        page = privacy.person_page(actor=request.user, member_id=member_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    user = request.user
    can_edit = user.can(Capability.EDIT_HOUSEHOLDS)
    if can_edit and form is None:
        form = ConsentForm(initial={"given_on": timezone.localdate()})
    lang = get_language() or "vi"
    return render(
        request,
        "registry/person.html",
        {
            "page": page,
            "member": page.member,
            "consents": [_consent_row(s.latest, lang, s.label) for s in page.consents],
            "history": [_consent_row(c, lang) for c in page.history],
            "legal_purposes": [_purpose_row(p, lang) for p in page.legal_purposes],
            "form": form if can_edit else None,
            "can_export": user.can(Capability.VIEW_SENSITIVE),
            "can_erase": can_edit,
        },
    )


def _consent_row(consent: Consent | None, lang: str, label: str = "") -> dict:
    """One consent (or none yet) as the page shows it."""
    if consent is None:
        return {"purpose": label, "status": "", "given": False}
    purpose = catalogue().get(consent.purpose)
    method = catalogue().method(consent.method)
    return {
        "purpose": label or (purpose.label(lang) if purpose else consent.purpose),
        "status": consent.status,
        "status_label": consent.get_status_display(),
        "given": consent.status == ConsentStatus.GIVEN,
        "given_on": consent.given_on,
        "method": method.label(lang) if method else consent.method,
        "note": consent.note,
        "recorded_by": consent.recorded_by.get_username() if consent.recorded_by else "",
    }


def _purpose_row(purpose: Purpose, lang: str) -> dict:
    return {
        "label": purpose.label(lang),
        "description": purpose.description(lang),
        "retention": purpose.retention(lang),
        "confirmed": purpose.confirmed,
        "citations": purpose.citations,
    }


@login_required
def person(request: HttpRequest, member_id: int) -> HttpResponse:
    """One person: details (sensitive ones only for VIEW_SENSITIVE, logged) and consents."""
    return _render_person(request, member_id, None)


@login_required
@require_POST
def person_consent(request: HttpRequest, member_id: int) -> HttpResponse:
    if not request.user.can(Capability.EDIT_HOUSEHOLDS):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            privacy.consent_record(actor=request.user, member_id=member_id, **form.cleaned_data)
        except ObjectDoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi sự đồng ý."))
            return redirect("registry:person", member_id=member_id)
    return _render_person(request, member_id, form)


@login_required
@require_POST
def person_export(request: HttpRequest, member_id: int) -> HttpResponse:
    """Download everything held about the person, for them (XLSX, or JSON with format=json)."""
    try:
        data = privacy.person_export(actor=request.user, member_id=member_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    if request.POST.get("format") == "json":
        body, content_type, ext = privacy.export_json(data), "application/json", "json"
    else:
        body, content_type, ext = privacy.export_xlsx(data), XLSX, "xlsx"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{member_id}.{ext}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def person_erase(request: HttpRequest, member_id: int) -> HttpResponse:
    """Confirm, then erase what the law allows; the page says what is kept and why."""
    try:
        member, plan = privacy.erase_page(actor=request.user, member_id=member_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.person_erase(
                actor=request.user, member_id=member.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Đã xóa dữ liệu theo yêu cầu."))
            return redirect("registry:person", member_id=member.pk)
    lang = get_language() or "vi"
    return render(
        request,
        "registry/person_erase.html",
        {
            "member": member,
            "plan": plan,
            "form": form,
            "legal_purposes": [_purpose_row(p, lang) for p in catalogue().legal_purposes],
            "consent_purposes": [_purpose_row(p, lang) for p in catalogue().consent_purposes],
            "withdrawn": [
                p.label(lang) for p in catalogue().consent_purposes if p.code in plan.consents_given
            ],
        },
    )
