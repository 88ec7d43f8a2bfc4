from django import forms
from django.contrib import admin

from langso.audit.admin import AuditedAdmin
from langso.poverty import scorecard
from langso.poverty.models import Scorecard


class ScorecardForm(forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = ("text", "is_active")

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            card = scorecard.parse(text)
        except scorecard.ScorecardError as error:
            raise forms.ValidationError(str(error)) from None
        self.card = card
        return text

    def save(self, commit: bool = True) -> Scorecard:
        row = super().save(commit=False)
        card = self.card
        row.code, row.title, row.version = card.code, card.title_vi, card.version
        row.is_example = card.is_example
        row.first_review_year, row.last_review_year = card.first_review_year, card.last_review_year
        if commit:
            row.save()
        return row


@admin.register(Scorecard)
class ScorecardAdmin(AuditedAdmin):
    """Officials replace the example scorecard with the circular's table here, without code."""

    form = ScorecardForm
    list_display = (
        "title",
        "code",
        "first_review_year",
        "last_review_year",
        "is_example",
        "is_active",
    )
