from django import forms
from django.utils.translation import gettext_lazy as _

from langso.geo.models import AreaType, VillageKind


class VillageForm(forms.Form):
    name = forms.CharField(label=_("Tên thôn / tổ dân phố"), max_length=120)
    kind = forms.ChoiceField(label=_("Loại"), choices=VillageKind.choices, initial=VillageKind.THON)


class VillageImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV hoặc Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls,.ods"}),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx", ".xls", ".ods", ".txt")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        return f


class AreaTypeForm(forms.Form):
    area_type = forms.ChoiceField(label=_("Khu vực"), choices=AreaType.choices)


class ConvertForm(forms.Form):
    province = forms.CharField(label=_("Tỉnh cũ (tên hoặc mã)"), max_length=100)
    district = forms.CharField(label=_("Huyện cũ (tên hoặc mã)"), max_length=100, required=False)
    commune = forms.CharField(label=_("Xã cũ (tên hoặc mã)"), max_length=100, required=False)
