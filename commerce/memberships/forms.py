"""The association admin's forms for members: recording dues paid outside Attune (a check)
and cancelling a membership. They only read what was typed; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models.fields import MoneyFormField
from lms.money import currency_of
from lms.records.forms import ServiceErrorsMixin

from .models import MembershipPlan


class RecordMembershipForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Member's e-mail"),
        help_text=_("The e-mail of their Attune account."),
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=MembershipPlan.objects.none())
    starts_on = forms.DateField(
        label=_("Starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "For someone who is not a member now. A running membership is extended from its "
            "end instead."
        ),
    )
    amount = MoneyFormField(
        label=_("Amount received"),
        required=False,
        help_text=_("Leave empty for the plan's dues."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example: check number 1042."),
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        plans = MembershipPlan.objects.filter(association__in=associations, active=True)
        self.fields["plan"].queryset = plans.select_related("association").order_by(
            "association__name", "sort_order", "name"
        )
        if associations.count() > 1:
            self.fields["plan"].label_from_instance = lambda p: f"{p.association.name}: {p.name}"
        self.fields["starts_on"].initial = timezone.localdate()
        # Amounts are typed in the chosen plan's association's currency.
        chosen = self.fields["plan"].queryset.filter(pk=self._typed_plan_id()).first()
        association = chosen.association if chosen else associations.first()
        self.fields["amount"].currency = currency_of(association)

    def _typed_plan_id(self):
        value = self.data.get(self.add_prefix("plan")) if self.is_bound else None
        return int(value) if value and str(value).isdigit() else None

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody has an account with this e-mail. Ask them to sign up first.")
            )
        self.person = person
        return email


class CancelMembershipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the membership cancelled?"),
        max_length=300,
        help_text=_("Kept with the membership and in the audit log."),
    )
