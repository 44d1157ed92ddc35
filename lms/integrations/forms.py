"""Forms of the integration screens: a new API token, a new webhook endpoint."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.records.forms import ServiceErrorsMixin


class AssociationChoiceMixin:
    def limit_associations(self, associations):
        self.fields["association"].queryset = associations
        self.fields["association"].empty_label = None


class TokenForm(ServiceErrorsMixin, AssociationChoiceMixin, forms.Form):
    association = forms.ModelChoiceField(queryset=None, label=_("Association"))
    name = forms.CharField(label=_("What will use it"), max_length=120)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_associations(associations)


class EndpointForm(ServiceErrorsMixin, AssociationChoiceMixin, forms.Form):
    association = forms.ModelChoiceField(queryset=None, label=_("Association"))
    url = forms.CharField(label=_("Endpoint URL (https://…)"), max_length=500)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_associations(associations)
