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
        label=_("Association"),
        queryset=association_choices(),
        empty_label=_("Choose an association"),
        to_field_name="slug",
    )
    category = forms.ModelChoiceField(
        label=_("Endorsement category"),
        queryset=category_choices(),
        empty_label=_("Choose a category"),
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
        label=_("Date you were endorsed"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    provides_rsc = forms.BooleanField(
        label=_("I provide reflective supervision/consultation (RSC)"), required=False
    )


class ChecklistTickForm(ServiceErrorsMixin, forms.Form):
    item = forms.ChoiceField(
        label=_("Checklist item"),
        choices=[(k.value, _(label)) for k, label in CHECKLIST_LABELS.items()],
    )
    completed_on = forms.DateField(
        label=_("Date done"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)
    evidence = forms.FileField(
        label=_("Evidence (PDF or image, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


class ExportForm(forms.Form):
    since = forms.DateField(
        # Translators: the first day of a date range to export ("From 2024-01-01").
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        # Translators: the last day of a date range to export ("To 2024-12-31").
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    category = forms.ModelChoiceField(
        label=_("Endorsement category"),
        queryset=category_choices(),
        required=False,
        empty_label=_("Every category"),
        to_field_name="code",
        help_text=_("Leaves out records marked for the other age band only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_choices()
        self.fields["category"].label_from_instance = lambda c: f"{c.name} ({c.code})"

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("“To” must not be before “From”."))
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
        label=_("Kind of application"), choices=ApplicationKind.choices, widget=forms.RadioSelect
    )


class ExcludeRecordForm(forms.Form):
    record = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why leave it out?"), max_length=300)


class SupervisorForm(forms.Form):
    supervisor_name = forms.CharField(label=_("Your current supervisor"), max_length=160)
    supervisor_email = forms.EmailField(label=_("Their e-mail address"))


class RaterForm(forms.Form):
    name = forms.CharField(label=_("Rater's name"), max_length=160)
    email = forms.EmailField(label=_("Rater's e-mail address"))
    relationship = forms.ChoiceField(
        label=_("How they know your work"), choices=RaterRelationship.choices
    )


class ApplicationTickForm(ChecklistTickForm):
    """A checklist item of the application's rules, with its evidence."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        if items:
            self.fields["item"].choices = [
                (item, _(CHECKLIST_LABELS[ChecklistItem(item)])) for item in items
            ]


class ReferenceRatingForm(ServiceErrorsMixin, forms.Form):
    """One rating per competency area of the category, and an optional comment."""

    comment = forms.CharField(
        label=_("Anything the reviewers should know (optional)"),
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
    listed = forms.BooleanField(required=False, label=_("List me in the public registry"))


# ---------------------------------------------------------------------------------------------
# Review (Wagtail admin)


class AssignReviewerForm(ServiceErrorsMixin, forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, label=_("Reviewer"), empty_label=_("Choose"))

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(pk__in=[r.pk for r in reviewers])
        self.fields["reviewer"].label_from_instance = lambda u: f"{u} ({u.email})"


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """The evidence for each competency area of the category, and a recommendation."""

    recommendation = forms.ChoiceField(label=_("Recommendation"), choices=ReviewOutcome.choices)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"mark_{area.code}"] = forms.ChoiceField(
                label=f"{area.name} ({area.code})", choices=EvidenceMark.choices
            )
            self.fields[f"note_{area.code}"] = forms.CharField(
                label=_("Note on %(area)s") % {"area": area.name}, required=False, max_length=500
            )
        self.order_fields(
            [name for a in self.areas for name in (f"mark_{a.code}", f"note_{a.code}")]
            + ["recommendation", "comments"]
        )

    def marks(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {a.code: (data[f"mark_{a.code}"], data[f"note_{a.code}"]) for a in self.areas}


class DecisionForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=ReviewOutcome.choices)
    comments = forms.CharField(
        label=_("Comments to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requested_items = forms.CharField(
        label=_("What the applicant should add (when deferring)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExamResultForm(ServiceErrorsMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Passed")), ("no", _("Did not pass"))],
        coerce=lambda value: value == "yes",
    )
    taken_on = forms.DateField(
        label=_("Day of the exam"), widget=forms.DateInput(attrs={"type": "date"})
    )
    comments = forms.CharField(label=_("Comments"), required=False)


class RevokeEndorsementForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        help_text=_("The holder is told this reason by e-mail; it is kept in the audit log."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ---------------------------------------------------------------------------------------------
# Integrations (Wagtail admin)
