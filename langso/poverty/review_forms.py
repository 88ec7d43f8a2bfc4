"""Forms of the review pages; each one step's input, checked again by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from langso.poverty.models import ComplaintResolution, ReviewKind
from langso.poverty.procedure import Procedure
from langso.poverty.scorecard import Scorecard

DATE = forms.DateInput(attrs={"type": "date"})
YES_NO = [("no", _("Không")), ("yes", _("Có"))]
MINUTES_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


class OpenReviewForm(forms.Form):
    commune = forms.ChoiceField(label=_("Xã / phường"), choices=())
    review_year = forms.TypedChoiceField(label=_("Năm rà soát"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Loại rà soát"), choices=ReviewKind.choices)

    def __init__(self, *args, communes=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["review_year"].choices = [
            (y, _("%(year)s (danh sách áp dụng năm %(year)s)") % {"year": y}) for y in years
        ]


class ApplicationForm(forms.Form):
    household = forms.CharField(label=_("Mã hộ"), max_length=40)
    applied_on = forms.DateField(label=_("Ngày nộp giấy đề nghị (Mẫu 01)"), widget=DATE)


class ScreenForm(forms.Form):
    """Phiếu A: one yes/no question per line of the procedure's quick screen."""

    def __init__(self, *args, procedure: Procedure, language: str = "vi", **kwargs):
        super().__init__(*args, **kwargs)
        for question in procedure.screen:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text(language), choices=YES_NO, widget=forms.RadioSelect
            )

    def answers(self) -> dict[str, bool]:
        return {code: value == "yes" for code, value in self.cleaned_data.items()}


class SurveyForm(forms.Form):
    """Phiếu B: the scorecard's questions, one choice each, and the survey date."""

    surveyed_on = forms.DateField(label=_("Ngày khảo sát"), widget=DATE)

    def __init__(self, *args, card: Scorecard, **kwargs):
        super().__init__(*args, **kwargs)
        for item in card.items:
            self.fields[f"item_{item.code}"] = forms.ChoiceField(
                label=item.question_vi,
                choices=[(a.code, a.label_vi) for a in item.answers],
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("item_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }


def _minutes(upload):
    if upload and not upload.name.lower().endswith(MINUTES_TYPES):
        raise forms.ValidationError(_("Biên bản là tệp PDF hoặc ảnh chụp (JPG, PNG)."))
    return upload


class MeetingForm(forms.Form):
    village = forms.TypedChoiceField(label=_("Thôn, tổ dân phố"), coerce=int, choices=())
    held_on = forms.DateField(label=_("Ngày họp"), widget=DATE)
    attendees = forms.IntegerField(label=_("Số người dự họp"), min_value=1)
    votes_for = forms.IntegerField(label=_("Số người đồng ý"), min_value=0)
    chair_name = forms.CharField(label=_("Chủ trì (trưởng thôn)"), max_length=100)
    secretary_name = forms.CharField(label=_("Thư ký"), max_length=100)
    minutes_village = forms.FileField(label=_("Biên bản lưu tại thôn (đã ký)"))
    minutes_commune = forms.FileField(label=_("Biên bản gửi Ban chỉ đạo xã (đã ký)"))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.village_id, v.name) for v in villages]

    def clean_minutes_village(self):
        return _minutes(self.cleaned_data.get("minutes_village"))

    def clean_minutes_commune(self):
        return _minutes(self.cleaned_data.get("minutes_commune"))


class PostingForm(forms.Form):
    starts_on = forms.DateField(label=_("Ngày bắt đầu niêm yết"), widget=DATE)
    place = forms.CharField(
        label=_("Nơi niêm yết"),
        max_length=200,
        initial=_("Nhà văn hóa các thôn và trụ sở UBND xã"),
    )


class ComplaintForm(forms.Form):
    entry = forms.TypedChoiceField(
        label=_("Hộ bị phản ánh"), coerce=int, required=False, empty_value=None, choices=()
    )
    lodged_on = forms.DateField(label=_("Ngày nhận"), widget=DATE)
    complainant = forms.CharField(label=_("Người phản ánh"), max_length=100)
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, entries=(), heads=None, **kwargs):
        super().__init__(*args, **kwargs)
        heads = heads or {}
        self.fields["entry"].choices = [("", _("Cả danh sách"))] + [
            (e.pk, f"{e.household.code} — {heads.get(e.household_id, '')}") for e in entries
        ]


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[c for c in ComplaintResolution.choices if c[0]],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Cách kiểm tra, kết luận"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=40)
    decision_date = forms.DateField(label=_("Ngày ký"), widget=DATE)
    signer = forms.CharField(label=_("Chủ tịch UBND xã (người ký)"), max_length=100)
