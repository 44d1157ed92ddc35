"""The association's brand form in the Wagtail admin: its site setting plus the short name,
which is the organization's own (one short name, shown in lists and on the site)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


class AssociationBrandingForm(WagtailAdminModelForm):
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=40,
        required=False,
        help_text=_(
            "Shown in the header, e-mails and lists, e.g. GLAIMH. Empty: the full name is used."
        ),
    )

    # Stored as a JSON list on the setting; chosen here with one box per language, each
    # named in its own language.
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages visitors may choose on your site."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.organization
        if organization is None:
            del self.fields["short_name"]
        elif not self.is_bound:
            self.initial.setdefault("short_name", organization.short_name)
            self.fields["short_name"].initial = organization.short_name

    @property
    def organization(self):
        site = getattr(self.instance, "site", None) if self.instance.site_id else None
        try:
            return site.organization if site is not None else None
        except ObjectDoesNotExist:
            return None

    @transaction.atomic
    def save(self, commit=True):
        instance = super().save(commit=commit)
        organization = self.organization
        if commit and organization is not None and "short_name" in self.cleaned_data:
            short_name = self.cleaned_data["short_name"].strip()
            if organization.short_name != short_name:
                organization.short_name = short_name
                organization.save(update_fields=["short_name"])
        return instance
