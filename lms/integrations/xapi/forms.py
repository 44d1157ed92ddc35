"""The learning record store form of the integrations screen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.records.forms import ServiceErrorsMixin

from .models import XapiVersion


class StoreForm(ServiceErrorsMixin, forms.Form):
    endpoint = forms.CharField(
        label=_("LRS endpoint (https://…)"),
        max_length=500,
        help_text=_("The xAPI base URL your LRS gives, e.g. https://lrs.example.org/xAPI/."),
    )
    key = forms.CharField(label=_("Key (user name)"), max_length=200)
    # Never rendered back: an empty field keeps the stored secret.
    secret = forms.CharField(
        label=_("Secret"),
        max_length=500,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the stored one."),
    )
    version = forms.ChoiceField(label=_("xAPI version"), choices=XapiVersion.choices)
    is_active = forms.BooleanField(
        label=_("Send statements"),
        required=False,
        help_text=_("Off: nothing is sent, and what waits to be sent is dropped."),
    )
    share_email = forms.BooleanField(
        label=_("Identify learners by e-mail address"),
        required=False,
        help_text=_(
            "Off (recommended): the LRS sees a stable pseudonymous id for each learner. "
            "Turn on only if your LRS must match learners by e-mail."
        ),
    )
