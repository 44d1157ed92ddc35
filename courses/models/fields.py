"""Model fields of the courses app: a list of choices stored as JSON, and amounts of money
in minor units edited as people write them."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lms.money import MoneyFormField  # the form field amounts are typed in (re-exported)


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
