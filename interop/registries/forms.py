"""Forms of registry reporting: a learner's registry IDs, an association's registries, a
training's registry event ID and the roster export's choices."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .formats import MAX_ID_LENGTH, registry_formats
from .services import check_registry_id

MAX_RANGE_DAYS = 366


class RegistryIdsForm(forms.Form):
    """One field per configured registry, checked against that registry's ID format."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, registry in registry_formats().items():
            help_text = ""
            if registry.id_example:
                help_text = gettext("For example %(example)s.") % {"example": registry.id_example}
            self.fields[code] = forms.CharField(
                label=gettext("%(label)s in %(registry)s")
                % {"label": registry.id_label, "registry": registry.name},
                required=False,
                max_length=MAX_ID_LENGTH,
                help_text=help_text,
            )

    def clean(self):
        data = super().clean()
        for code in registry_formats():
            if code in data:
                try:
                    data[code] = check_registry_id(registry=code, registry_id=data[code])
                except ValidationError as exc:
                    self.add_error(code, exc)
        return data


class AssociationRegistriesForm(forms.Form):
    """The sponsor ID of the association in each registry; blank: it does not report there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, registry in registry_formats().items():
            self.fields[code] = forms.CharField(
                label=gettext("Sponsor or organization ID in %(registry)s")
                % {"registry": registry.name},
                required=False,
                max_length=MAX_ID_LENGTH,
                help_text=_("Leave blank if the association does not report to this registry."),
            )


class EventIdForm(forms.Form):
    training = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    registry = forms.CharField(widget=forms.HiddenInput, max_length=40)
    event_id = forms.CharField(
        label=_("Registry event or course ID"), required=False, max_length=MAX_ID_LENGTH
    )


class RosterForm(forms.Form):
    training = forms.ModelChoiceField(queryset=None, label=_("Training"))
    registry = forms.ChoiceField(label=_("Registry"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, trainings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = trainings
        self.fields["registry"].choices = [
            (code, registry.name) for code, registry in registry_formats().items()
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", gettext("The end of the range comes before its start."))
            elif end - start > datetime.timedelta(days=MAX_RANGE_DAYS):
                self.add_error("end", gettext("Choose a range of at most a year."))
        return data
