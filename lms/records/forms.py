"""Forms collect input; the services validate it and say what is wrong, field by field."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lms.competencies.selectors import current_areas

from .evidence import max_evidence_bytes
from .models import DeliveryFormat, RecordAgeBand, SessionFormat

HOURS_WIDGET = {"step": "0.25", "min": "0.25", "inputmode": "decimal"}


class DateInput(forms.DateInput):
    input_type = "date"


def parse_facilitators(text: str) -> list[dict]:
    """One facilitator per line: "Name, credentials"."""
    people = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _comma, credentials = line.partition(",")
        people.append({"name": name.strip(), "credentials": credentials.strip()})
    return people


def facilitators_text(facilitators) -> str:
    return "\n".join(
        f"{f.name}, {f.credentials}" if f.credentials else f.name for f in facilitators
    )


@dataclass(frozen=True)
class FieldGroup:
    """Some of a form's fields under one legend, shaped like a form for the design system's
    ``includes/form_fields.html`` (labels above fields, errors right after each)."""

    legend: str
    visible_fields: tuple
    hidden_fields: tuple = ()
    non_field_errors: tuple = ()


def field_group(form, legend, names) -> FieldGroup:
    return FieldGroup(legend=legend, visible_fields=tuple(form[name] for name in names))


class ServiceErrorsMixin:
    """Put a service's ``ValidationError`` onto the form's fields."""

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for name, messages in error.message_dict.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


class AreaHoursMixin:
    """One hours field per competency area of the current framework."""

    def add_area_fields(self, initial: dict | None = None) -> None:
        self.areas = list(current_areas())
        for area in self.areas:
            self.fields[f"hours_{area.code}"] = forms.DecimalField(
                label=f"{area.localized_name} ({area.code})",
                required=False,
                min_value=Decimal(0),
                max_digits=6,
                decimal_places=2,
                initial=(initial or {}).get(area.code),
                widget=forms.NumberInput(attrs=HOURS_WIDGET),
            )

    def area_fields(self):
        return [self[f"hours_{area.code}"] for area in self.areas]

    def area_hours(self) -> dict[str, Decimal]:
        return {
            area.code: self.cleaned_data[f"hours_{area.code}"]
            for area in self.areas
            if self.cleaned_data.get(f"hours_{area.code}")
        }


class ExternalTrainingForm(ServiceErrorsMixin, AreaHoursMixin, forms.Form):
    title = forms.CharField(max_length=255, label=_("Title"))
    provider_name = forms.CharField(
        max_length=200,
        label=_("Provider"),
        help_text=_("The organization that offered the training."),
    )
    completed_on = forms.DateField(label=_("Date completed"), widget=DateInput)
    duration_hours = forms.DecimalField(
        label=_("Duration (clock hours)"),
        max_digits=6,
        decimal_places=2,
        help_text=_("In quarter hours, e.g. 1.5."),
        widget=forms.NumberInput(attrs=HOURS_WIDGET),
    )
    delivery_format = forms.ChoiceField(label=_("Delivery format"), choices=DeliveryFormat.choices)
    topic = forms.CharField(max_length=255, required=False, label=_("Topic"))
    facilitators = forms.CharField(
        label=_("Facilitators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One per line: "Name, credentials".'),
    )
    age_band = forms.ChoiceField(label=_("Age band"), choices=RecordAgeBand.choices, required=False)
    dei = forms.BooleanField(
        label=_("Includes diversity, equity and inclusion content"), required=False
    )
    rsc_topic = forms.BooleanField(
        label=_("About reflective supervision/consultation"), required=False
    )
    training_url = forms.URLField(
        label=_("Link to the training"), required=False, max_length=500, assume_scheme="https"
    )
    evidence = forms.FileField(
        required=False,
        label=_("Evidence (optional)"),
        help_text=format_lazy(
            _("A certificate or agenda: PDF, PNG, JPEG or WebP, at most {megabytes} MB."),
            megabytes=max_evidence_bytes() // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/png,image/jpeg,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_area_fields()
        for area_field in self.area_fields():
            area_field.field.help_text = ""
            # The page's running total adds these up against the duration as the learner types.
            area_field.field.widget.attrs["data-area-hours"] = ""
        self.fields["duration_hours"].widget.attrs["data-duration"] = ""

    def area_group(self) -> FieldGroup:
        return FieldGroup(legend="", visible_fields=tuple(self.area_fields()))

    def field_groups(self) -> dict[str, FieldGroup]:
        """The form as a person fills it in: the training, what it covered, the evidence.
        The hours per area have their own fieldset with the running total."""
        return {
            "training": field_group(
                self,
                _("The training"),
                ("title", "provider_name", "completed_on", "duration_hours", "delivery_format"),
            ),
            "details": field_group(
                self,
                _("Details for your application"),
                ("topic", "facilitators", "age_band", "training_url"),
            ),
            "content": field_group(self, _("What it covered"), ("dei", "rsc_topic")),
            "evidence": field_group(self, _("Evidence"), ("evidence",)),
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "provider_name": data["provider_name"],
            "completed_on": data["completed_on"],
            "duration_hours": data["duration_hours"],
            "delivery_format": data["delivery_format"],
            "topic": data["topic"],
            "facilitators": parse_facilitators(data["facilitators"]),
            "age_band": data["age_band"] or "",
            "dei": data["dei"],
            "rsc_topic": data["rsc_topic"],
            "training_url": data["training_url"],
            "area_hours": self.area_hours(),
            "evidence": data["evidence"] or None,
        }


class RSCSessionForm(ServiceErrorsMixin, forms.Form):
    session_date = forms.DateField(label=_("Session date"), widget=DateInput)
    duration_hours = forms.DecimalField(
        label=_("Duration (clock hours)"),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs=HOURS_WIDGET),
    )
    session_format = forms.ChoiceField(
        label=_("Session format"), choices=SessionFormat.choices, widget=forms.RadioSelect
    )
    delivery_format = forms.ChoiceField(
        label=_("Delivery format"),
        choices=[
            (DeliveryFormat.IN_PERSON, _("In person")),
            (DeliveryFormat.LIVE_WEBINAR, _("Video call")),
        ],
    )
    supervisor_name = forms.CharField(max_length=160, label=_("Supervisor/consultant name"))
    supervisor_email = forms.EmailField(
        label=_("Supervisor/consultant e-mail"),
        help_text=_("We send them a link to confirm the session."),
    )
    supervisor_endorsement = forms.CharField(
        max_length=60,
        required=False,
        label=_("Their endorsement"),
        help_text=_("For example IMHM-C."),
    )
    topic = forms.CharField(max_length=255, required=False, label=_("Focus of the session"))

    def field_groups(self) -> dict[str, FieldGroup]:
        """The session, then who gave it (the format's radio buttons have their own fieldset)."""
        return {
            "session": field_group(
                self, _("The session"), ("session_date", "duration_hours", "delivery_format")
            ),
            "topic": field_group(self, _("The session"), ("topic",)),
            "supervisor": field_group(
                self,
                _("Your supervisor or consultant"),
                ("supervisor_name", "supervisor_email", "supervisor_endorsement"),
            ),
        }


class CosignForm(forms.Form):
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment (optional)")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentForm(ServiceErrorsMixin, AreaHoursMixin, forms.Form):
    """Corrections an issuing organization can make; unchanged values are left out."""

    title = forms.CharField(max_length=255, label=_("Title"))
    completed_on = forms.DateField(label=_("Date completed"), widget=DateInput)
    duration_hours = forms.DecimalField(
        label=_("Duration (clock hours)"),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs=HOURS_WIDGET),
    )
    facilitators = forms.CharField(
        label=_("Facilitators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One per line: "Name, credentials".'),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, facts, **kwargs):
        self.facts = facts
        kwargs.setdefault(
            "initial",
            {
                "title": facts.title,
                "completed_on": facts.completed_on,
                "duration_hours": facts.duration_hours,
                "facilitators": facilitators_text(facts.facilitators),
            },
        )
        super().__init__(*args, **kwargs)
        self.add_area_fields(initial=facts.hours_by_area)

    def changes(self) -> dict:
        data, facts = self.cleaned_data, self.facts
        changes = {}
        for name in ("title", "completed_on", "duration_hours"):
            if data[name] != getattr(facts, name):
                changes[name] = data[name]
        if parse_facilitators(data["facilitators"]) != [
            {"name": f.name, "credentials": f.credentials} for f in facts.facilitators
        ]:
            changes["facilitators"] = parse_facilitators(data["facilitators"])
        if self.area_hours() != facts.hours_by_area:
            changes["area_hours"] = self.area_hours()
        return changes
