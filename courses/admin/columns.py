"""Listing columns of courses' admin screens."""

from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.ui.tables import Column


class YesNoColumn(Column):
    """A yes-or-no field as a word staff read (Wagtail's own shows "True" or "False")."""

    def __init__(self, name, *, yes=None, no=None, **kwargs):
        super().__init__(name, sort_key=kwargs.pop("sort_key", name), **kwargs)
        self.yes = yes or gettext_lazy("Yes")
        self.no = no or gettext_lazy("No")

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return "—"
        return str(self.yes) if value else str(self.no)


def yes_no(model, name, **kwargs) -> YesNoColumn:
    field = model._meta.get_field(name)
    label = kwargs.pop("label", None) or gettext(str(field.verbose_name)).capitalize()
    return YesNoColumn(name, label=label, **kwargs)
