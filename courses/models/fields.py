"""Model fields of the courses app: a list of choices stored as JSON, and amounts of money
in minor units edited as people write them."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ChoiceListField(models.JSONField):
    """A list of choice values stored as JSON, edited as a set of checkboxes.

    Used where a handful of fixed options may apply at once (a training's audience) and a
    join table would add nothing.
    """

    def __init__(self, *args, choices=(), **kwargs):
        self.list_choices = list(choices)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices"] = self.list_choices
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {str(key) for key, _label in self.list_choices}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise ValidationError(
                _("Unknown choice: %(choices)s.") % {"choices": ", ".join(map(str, unknown))}
            )

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.list_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )

    def labels(self, value) -> list[str]:
        names = dict(self.list_choices)
        return [str(names.get(item, item)) for item in value or []]


class MoneyFormField(forms.CharField):
    """An amount typed as people write it ("60", "60.00", "60,5"), cleaned to an integer of
    the currency's minor unit with ``lms.money.to_minor`` and shown back the same way.

    The form that holds it sets ``currency`` (the association's) before it is bound: the
    minor unit decides how many decimals an amount may have (none in yen).
    """

    default_error_messages = {
        "invalid": gettext_lazy("Enter an amount like 60 or 60.00."),
        "negative": gettext_lazy("An amount cannot be negative."),
        "decimals": gettext_lazy("This currency has at most %(digits)s decimal places."),
        "too_large": gettext_lazy("That amount is too large."),
    }
    LARGEST = 2_000_000_000  # what the integer column holds, with margin

    def __init__(self, *args, currency=None, empty_amount=None, **kwargs):
        from lms.money import DEFAULT_CURRENCY

        self.currency = currency or DEFAULT_CURRENCY
        self.empty_amount = empty_amount
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        from lms.money import from_minor

        if isinstance(value, int) and not isinstance(value, bool):
            return str(from_minor(value, self.currency))
        return value

    def to_python(self, value):
        from decimal import Decimal, InvalidOperation

        from lms.money import minor_digits, to_minor

        text = (str(value) if value is not None else "").strip().replace(" ", "")
        if text in self.empty_values:
            return self.empty_amount
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # a decimal comma, as Spanish writes it
        try:
            typed = Decimal(text)
            amount = to_minor(text, self.currency)
        except (InvalidOperation, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not typed.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if typed < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        digits = minor_digits(self.currency)
        if typed != typed.quantize(Decimal(1).scaleb(-digits)):
            raise ValidationError(
                self.error_messages["decimals"], code="decimals", params={"digits": digits}
            )
        if amount > self.LARGEST:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


class MinorUnitsField(models.PositiveIntegerField):
    """An amount of money in the currency's minor unit (cents), edited as "60.00"."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": MoneyFormField,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "empty_amount": None if self.null else 0,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("min_value", "max_value", "choices_form_class", "max_length"):
            defaults.pop(key, None)
        return form_class(**defaults)
