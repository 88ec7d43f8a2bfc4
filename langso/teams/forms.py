"""Forms of the team pages: a team's founding decision, and a member joining it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from langso.teams.models import MemberKind, MemberRole

DATE = forms.DateInput(attrs={"type": "date"})
DECISION_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


class TeamForm(forms.Form):
    commune = forms.ChoiceField(label=_("Xã / phường"))
    village = forms.TypedChoiceField(
        label=_("Thôn"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Để trống: tổ cấp xã."),
    )
    name = forms.CharField(label=_("Tên tổ"), max_length=200)
    decision_number = forms.CharField(
        label=_("Số quyết định thành lập"), max_length=60, required=False
    )
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE, required=False)
    established_on = forms.DateField(label=_("Ngày thành lập"), widget=DATE)
    decision_file = forms.FileField(
        label=_("Tệp quyết định (PDF, ảnh)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DECISION_TYPES)}),
    )

    def __init__(self, *args, communes=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["village"].choices = [("", _("— tổ cấp xã —"))] + [
            (v.pk, f"{v.name} ({v.commune.name})") for v in villages
        ]

    def clean_decision_file(self):
        upload = self.cleaned_data.get("decision_file")
        if upload and not upload.name.lower().endswith(DECISION_TYPES):
            raise forms.ValidationError(_("Chỉ nhận tệp PDF hoặc ảnh."))
        if upload and upload.size > 10_000_000:
            raise forms.ValidationError(_("Tệp tối đa 10 MB."))
        return upload


class TeamMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )
    kind = forms.ChoiceField(label=_("Thành phần"), choices=MemberKind.choices)
    villages = forms.TypedMultipleChoiceField(
        label=_("Thôn phụ trách"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    account = forms.TypedChoiceField(
        label=_("Tài khoản ghi lần đến hộ"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Tài khoản của thành viên (vai trò tổ công nghệ số), nếu họ tự ghi."),
    )

    def __init__(self, *args, villages=(), accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].choices = [(v.pk, v.name) for v in villages]
        self.fields["account"].choices = [("", "—")] + [
            (u.pk, f"{u.full_name} ({u.username})") for u in accounts
        ]
