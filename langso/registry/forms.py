from django import forms
from django.utils.translation import gettext_lazy as _


class HouseholdImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV theo mẫu"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.xls,.ods"}),
    )
    valid_only = forms.BooleanField(
        label=_("Nếu có dòng sai: vẫn nhập các hộ hợp lệ, bỏ qua hộ có lỗi"), required=False
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx", ".xls", ".ods", ".txt")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        return f
