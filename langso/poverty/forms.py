from django import forms
from django.utils.translation import gettext_lazy as _

from langso.poverty.standard import all_standards


def review_years() -> list[tuple[int, str]]:
    return [
        (
            year,
            _("%(year)s (rà soát cuối năm %(prev)s) — %(code)s")
            % {"year": year, "prev": year - 1, "code": s.code},
        )
        for s in reversed(all_standards())
        for year in range(s.last_review_year, s.first_review_year - 1, -1)
    ]


class AreaAssessForm(forms.Form):
    review_year = forms.TypedChoiceField(label=_("Năm rà soát"), coerce=int, choices=())
    commune = forms.ChoiceField(label=_("Xã / phường"), required=False, choices=())
    what_if = forms.BooleanField(
        label=_("Chỉ tính thử (không lưu kết quả)"), required=False, initial=False
    )

    def __init__(self, *args, communes=(), default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_year"].choices = review_years()
        self.fields["review_year"].initial = default_year
        self.fields["commune"].choices = [("", _("Cả địa bàn của tôi"))] + [
            (c.code, c.name) for c in communes
        ]


class FileCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp khảo sát (mẫu nhập hộ, CSV hoặc XLSX)"),
        help_text=_(
            "Có thể thêm các cột: Dùng Internet, Có ti vi, Có radio, Có máy tính, "
            "Có điện thoại thông minh, Nghe được loa truyền thanh."
        ),
    )
    review_year = forms.TypedChoiceField(label=_("Năm rà soát"), coerce=int, choices=())

    def __init__(self, *args, default_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_year"].choices = review_years()
        self.fields["review_year"].initial = default_year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx"))
        return upload
