"""The credit transcript's and the credit roster's question: which kind, from when, to when.

The kind is chosen among the reader's own (a learner's claimed kinds, an association's kinds)
by its id as text, so that an id nobody offered is a form error and never reaches a query.
"""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models_credits import CreditKind

EARLIEST = datetime.date(1900, 1, 1)


class CreditRangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Credit"))
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)

    unknown_kind = _("Choose one of the credits listed.")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {str(kind.pk): kind for kind in kinds}
        self.fields["kind"].choices = [
            (pk, self.kind_label(kind)) for pk, kind in self.kinds.items()
        ]
        self.fields["kind"].error_messages["invalid_choice"] = self.unknown_kind

    def kind_label(self, kind: CreditKind) -> str:
        return f"{kind.name} ({kind.awarding_body})"

    def clean_start(self):
        return self._sensible(self.cleaned_data["start"])

    def clean_end(self):
        return self._sensible(self.cleaned_data["end"])

    def _sensible(self, day):
        if day < EARLIEST:
            raise forms.ValidationError(_("Enter a date after 1900."))
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must not be before its start."))
        return cleaned

    @property
    def chosen_kind(self) -> CreditKind:
        return self.kinds[self.cleaned_data["kind"]]


class LearnerCreditRangeForm(CreditRangeForm):
    unknown_kind = _("You have not claimed a credit of this kind. Choose one of those listed.")


class RosterCreditRangeForm(CreditRangeForm):
    unknown_kind = _("Choose one of your associations' credits.")

    def kind_label(self, kind: CreditKind) -> str:
        return f"{kind.name} ({kind.awarding_body}) · {kind.organization.name}"
