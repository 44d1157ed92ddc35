"""The admin's form for connecting a learning platform by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.records.forms import ServiceErrorsMixin


class ConnectionForm(ServiceErrorsMixin, forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))
    name = forms.CharField(label=_("Name (e.g. Canvas at Wayne State)"), max_length=200)
    issuer = forms.URLField(label=_("Issuer (platform ID)"), max_length=255, assume_scheme="https")
    client_id = forms.CharField(label=_("Client ID"), max_length=255)
    auth_url = forms.URLField(
        label=_("Authentication request URL (OIDC auth endpoint)"), assume_scheme="https"
    )
    token_url = forms.URLField(label=_("Access token URL"), assume_scheme="https")
    keyset_url = forms.URLField(label=_("Public keyset URL (JWKS)"), assume_scheme="https")
    deployment_ids = forms.CharField(
        label=_("Deployment IDs"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line. Launches from other deployments are refused."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None


class DeploymentsForm(forms.Form):
    deployment_ids = forms.CharField(
        label=_("Deployment IDs"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RegistrationLinkForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None
