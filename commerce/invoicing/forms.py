"""Forms of the invoice screens: the center's purchase order, and the administrator's quote,
issue, payment and void forms (Wagtail admin widgets)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.money import minor_digits, to_minor


class PurchaseOrderForm(forms.Form):
    po_number = forms.CharField(
        label=_("Purchase order number"),
        max_length=100,
        help_text=_("As it appears on your purchase order."),
    )


class MoneyField(forms.DecimalField):
    """An amount typed in major units ("120", "120.50"), cleaned to minor units (int)."""

    def __init__(self, *args, currency: str, **kwargs):
        self.currency = currency
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", minor_digits(currency))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        cleaned = super().clean(value)
        return None if cleaned is None else to_minor(cleaned, self.currency)


class QuoteForm(forms.Form):
    """One pair of fields per training of the contract: seats and price per seat."""

    def __init__(self, *args, contract, currency: str, prices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract_trainings = list(contract.trainings.all())
        for line in self.contract_trainings:
            title = line.training.title
            self.fields[f"seats_{line.pk}"] = forms.IntegerField(
                label=_("Seats: %(training)s") % {"training": title},
                min_value=0,
                max_value=100000,
                initial=0,
                required=False,
            )
            self.fields[f"price_{line.pk}"] = MoneyField(
                label=_("Price per seat (%(currency)s): %(training)s")
                % {"currency": currency, "training": title},
                currency=currency,
                initial=prices.get(line.training_id),
                required=False,
            )

    def rows(self):
        """(line, seats field, price field) for the template."""
        return [
            (line, self[f"seats_{line.pk}"], self[f"price_{line.pk}"])
            for line in self.contract_trainings
        ]

    def quote_lines(self):
        from .services import QuoteLine

        lines = []
        for line in self.contract_trainings:
            seats = self.cleaned_data.get(f"seats_{line.pk}") or 0
            price = self.cleaned_data.get(f"price_{line.pk}")
            if seats and price is None:
                self.add_error(f"price_{line.pk}", _("Give the price per seat."))
            lines.append(QuoteLine(contract_training=line, quantity=seats, unit_amount=price or 0))
        return lines


def _default_due():
    return timezone.localdate() + datetime.timedelta(days=30)


class IssueForm(forms.Form):
    due_on = forms.DateField(
        label=_("Due on"), initial=_default_due, widget=forms.DateInput(attrs={"type": "date"})
    )
    payment_instructions = forms.CharField(
        label=_("How to pay"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. where to mail a check, or bank details. Card payment is always offered."),
    )


class CheckPaymentForm(forms.Form):
    check_number = forms.CharField(label=_("Check number"), max_length=60)
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is it voided?"), max_length=300)
