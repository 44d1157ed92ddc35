"""The endorsement pages' forms. Forms a service may reject take its errors with
``add_service_errors`` (``ServiceErrorsMixin``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.records.forms import ServiceErrorsMixin

from .models import ApplicationKind, EvidenceMark, RaterRelationship, RatingScale, ReviewOutcome
from .rules.rule_sets import CHECKLIST_LABELS, ChecklistItem
from .selectors.requirements import association_choices, category_choices


def errors_in_words(form) -> str:
    """A form's errors as one line, for a message on the page the form was posted from."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class TargetForm(ServiceErrorsMixin, forms.Form):
    association = forms.ModelChoiceField(
        label="Association",
        queryset=association_choices(),
        empty_label="Choose an association",
        to_field_name="slug",
    )
    category = forms.ModelChoiceField(
        label="Endorsement category",
        queryset=category_choices(),
        empty_label="Choose a category",
        to_field_name="code",
    )
    target_date = forms.DateField(
        label=_("Apply by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Trainings that would fill your gaps are ranked by what they close by then."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = association_choices()
        self.fields["category"].queryset = category_choices()
        self.fields["category"].label_from_instance = lambda c: f"{c.name} ({c.code})"


class HeldEndorsementForm(ServiceErrorsMixin, forms.Form):
    endorsed_on = forms.DateField(
        label="Date you were endorsed",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    provides_rsc = forms.BooleanField(
        label="I provide reflective supervision/consultation (RSC)", required=False
    )


class ChecklistTickForm(ServiceErrorsMixin, forms.Form):
    item = forms.ChoiceField(
        label="Checklist item",
        choices=[(k.value, label) for k, label in CHECKLIST_LABELS.items()],
    )
    completed_on = forms.DateField(
        label="Date done", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)
    evidence = forms.FileField(
        label="Evidence (PDF or image, optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


class ExportForm(forms.Form):
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ModelChoiceField(
        label="Endorsement category",
        queryset=category_choices(),
        required=False,
        empty_label="Every category",
        to_field_name="code",
        help_text="Leaves out records marked for the other age band only.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_choices()
        self.fields["category"].label_from_instance = lambda c: f"{c.name} ({c.code})"

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "“To” must not be before “From”.")
        return cleaned

    def filters(self) -> dict:
        return {
            "since": self.cleaned_data.get("since"),
            "until": self.cleaned_data.get("until"),
            "category": self.cleaned_data.get("category"),
        }


# ---------------------------------------------------------------------------------------------
# Applications


class StartApplicationForm(TargetForm):
    kind = forms.ChoiceField(
        label="Kind of application", choices=ApplicationKind.choices, widget=forms.RadioSelect
    )


class ExcludeRecordForm(forms.Form):
    record = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why leave it out?", max_length=300)


class SupervisorForm(forms.Form):
    supervisor_name = forms.CharField(label="Your current supervisor", max_length=160)
    supervisor_email = forms.EmailField(label="Their e-mail address")


class RaterForm(forms.Form):
    name = forms.CharField(label="Rater's name", max_length=160)
    email = forms.EmailField(label="Rater's e-mail address")
    relationship = forms.ChoiceField(
        label="How they know your work", choices=RaterRelationship.choices
    )


class ApplicationTickForm(ChecklistTickForm):
    """A checklist item of the application's rules, with its evidence."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        if items:
            self.fields["item"].choices = [
                (item, CHECKLIST_LABELS[ChecklistItem(item)]) for item in items
            ]


class ReferenceRatingForm(ServiceErrorsMixin, forms.Form):
    """One rating per competency area of the category, and an optional comment."""

    comment = forms.CharField(
        label="Anything the reviewers should know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"area_{area.code}"] = forms.ChoiceField(
                label=f"{area.name} ({area.code})",
                choices=RatingScale.choices,
                widget=forms.RadioSelect,
            )
        self.order_fields([f"area_{a.code}" for a in self.areas] + ["comment"])

    def area_fields(self):
        return [self[f"area_{a.code}"] for a in self.areas]

    def ratings(self) -> dict[str, str]:
        return {a.code: self.cleaned_data[f"area_{a.code}"] for a in self.areas}


class RegistryListingForm(forms.Form):
    listed = forms.BooleanField(required=False, label="List me in the public registry")


# ---------------------------------------------------------------------------------------------
# Review (Wagtail admin)


class AssignReviewerForm(ServiceErrorsMixin, forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, label="Reviewer", empty_label="Choose")

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(pk__in=[r.pk for r in reviewers])
        self.fields["reviewer"].label_from_instance = lambda u: f"{u} ({u.email})"


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """The evidence for each competency area of the category, and a recommendation."""

    recommendation = forms.ChoiceField(label="Recommendation", choices=ReviewOutcome.choices)
    comments = forms.CharField(
        label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"mark_{area.code}"] = forms.ChoiceField(
                label=f"{area.name} ({area.code})", choices=EvidenceMark.choices
            )
            self.fields[f"note_{area.code}"] = forms.CharField(
                label=f"Note on {area.name}", required=False, max_length=500
            )
        self.order_fields(
            [name for a in self.areas for name in (f"mark_{a.code}", f"note_{a.code}")]
            + ["recommendation", "comments"]
        )

    def marks(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {a.code: (data[f"mark_{a.code}"], data[f"note_{a.code}"]) for a in self.areas}


class DecisionForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label="Decision", choices=ReviewOutcome.choices)
    comments = forms.CharField(
        label="Comments to the applicant", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requested_items = forms.CharField(
        label="What the applicant should add (when deferring)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExamResultForm(ServiceErrorsMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label="Result",
        choices=[("yes", "Passed"), ("no", "Did not pass")],
        coerce=lambda value: value == "yes",
    )
    taken_on = forms.DateField(
        label="Day of the exam", widget=forms.DateInput(attrs={"type": "date"})
    )
    comments = forms.CharField(label="Comments", required=False)


# ---------------------------------------------------------------------------------------------
# Integrations (Wagtail admin)
