"""Forms of the association administrator's payment screens: Stripe's settings, the orders'
filters and the refund (Wagtail admin widgets)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.money import from_minor

from .invoicing.forms import MoneyField
from .models import OrderStatus


class StripeSettingsForm(forms.Form):
    """The secrets are write-only: their fields start empty, and empty keeps the stored one."""

    enabled = forms.BooleanField(
        label=_("Take payments online"),
        required=False,
        help_text=_(
            "Switched off, paid trainings say payments are not set up; payments already "
            "under way still complete and can be refunded."
        ),
    )
    publishable_key = forms.CharField(
        label=_("Publishable key"),
        max_length=255,
        required=False,
        help_text=_("Starts with pk_. Empty turns online payments off."),
    )
    secret_key = forms.CharField(
        label=_("Secret key"),
        max_length=255,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook signing secret"),
        max_length=255,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, account=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("enabled", account.enabled if account else True)
        initial.setdefault("publishable_key", account.publishable_key if account else "")
        super().__init__(*args, **kwargs)
        for name, stored in (
            ("secret_key", account and account.secret_key_encrypted),
            ("webhook_secret", account and account.webhook_secret_encrypted),
        ):
            prefix = "sk_ or rk_" if name == "secret_key" else "whsec_"
            if stored:
                self.fields[name].help_text = _(
                    "Set. Leave empty to keep it; type a new one (starting with %(prefix)s) "
                    "to replace it."
                ) % {"prefix": prefix}
            else:
                self.fields[name].help_text = _("Not set. Starts with %(prefix)s.") % {
                    "prefix": prefix
                }


class OrderFilterForm(forms.Form):
    association = forms.ModelChoiceField(
        label=_("Association"),
        queryset=None,
        required=False,
        empty_label=pgettext_lazy("all associations", "All"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    start = forms.DateField(
        label=_("Placed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Placed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(
        label=_("Buyer or number"),
        required=False,
        max_length=100,
        help_text=_("A buyer's e-mail or name, or an order's number."),
    )

    def __init__(self, data, *, associations):
        super().__init__(data)
        self.fields["association"].queryset = associations
        self.fields["status"].choices = [
            ("", pgettext_lazy("all statuses", "All")),
            *OrderStatus.choices,
        ]
        if associations.count() < 2:
            del self.fields["association"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period must end on or after the day it starts."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for ``orders_for_admin`` (nothing filtered when invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "association": data.get("association"),
            "status": data.get("status") or "",
            "start": data.get("start"),
            "end": data.get("end"),
            "query": (data.get("q") or "").strip(),
        }


class RefundForm(forms.Form):
    ACCESS_CHOICES = [
        ("keep", _("Keep: the buyer keeps the trainings or membership")),
        ("cancel", _("Cancel: the enrollments and memberships of this order end")),
    ]
    access = forms.ChoiceField(
        label=_("Access"), choices=ACCESS_CHOICES, initial="keep", widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"] = MoneyField(
            label=_("Amount to refund (%(currency)s)") % {"currency": order.currency},
            currency=order.currency,
            min_value=0,
            initial=from_minor(order.balance, order.currency),
            help_text=_("The whole of what is left by default; lower it for a partial refund."),
        )
