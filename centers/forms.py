from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from centers.dashboard import READINESS_FILTERS, DashboardFilters
from centers.roster_import import MAX_BYTES
from centers.selectors import programs_of
from centers.values import ProgressStatus
from lms.organizations.models import ON_ROSTER


class DashboardFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200)
    program = forms.TypedChoiceField(
        label=_("Program"), required=False, coerce=int, empty_value=None
    )
    training = forms.TypedChoiceField(
        label=_("Training"), required=False, coerce=int, empty_value=None
    )
    progress = forms.ChoiceField(
        label=_("Progress"),
        required=False,
        choices=[
            ("", _("Any progress")),
            (ProgressStatus.NOT_STARTED, _("Not started")),
            (ProgressStatus.IN_PROGRESS, _("In progress")),
            (ProgressStatus.COMPLETED, _("Completed")),
        ],
    )
    staff_status = forms.ChoiceField(
        label=_("Roster status"),
        required=False,
        choices=[("", _("Invited or joined")), *((s.value, s.label) for s in ON_ROSTER)],
    )
    readiness = forms.ChoiceField(
        label=_("Readiness"),
        required=False,
        choices=[("", _("Anyone")), *READINESS_FILTERS.items()],
    )

    def __init__(self, data=None, *, programs, trainings):
        super().__init__(data)
        self.fields["program"].choices = [("", _("Any program"))] + [
            (p.pk, p.name) for p in programs
        ]
        self.fields["training"].choices = [("", _("Any training")), *trainings]

    def filters(self) -> DashboardFilters:
        """The valid filters; an invalid one is shown on the form and ignored."""
        if not self.is_bound:
            return DashboardFilters()
        self.is_valid()
        data = self.cleaned_data
        return DashboardFilters(
            q=(data.get("q") or "").strip(),
            program=data.get("program"),
            training=data.get("training"),
            progress=data.get("progress") or "",
            staff_status=data.get("staff_status") or "",
            readiness=data.get("readiness") or "",
        )

    def applied(self) -> list[tuple[str, str]]:
        """The filters in use, as (label, what was chosen), for the line above the table
        that stays in view while the drawer is closed."""
        if not self.is_bound or not self.is_valid():
            return []
        applied = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            choices = dict(getattr(field, "choices", ()))
            shown = choices.get(value, choices.get(str(value), value))
            applied.append((str(field.label), str(shown)))
        return applied


class ProgramChoiceMixin:
    def set_programs(self, center):
        self.fields["program"].queryset = programs_of(center=center)


class AddStaffForm(ProgramChoiceMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    job_role = forms.CharField(label=_("Job role"), max_length=120, required=False)
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=None, required=False, empty_label=_("No program")
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_programs(center)


class StaffEditForm(ProgramChoiceMixin, forms.Form):
    job_role = forms.CharField(label=_("Job role"), max_length=120, required=False)
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=None, required=False, empty_label=_("No program")
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_programs(center)


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("New program"), max_length=120)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV)"),
        help_text=_("Columns: email, name, job role, program. The first line names the columns."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."),
                code="too_large",
                params={"size": MAX_BYTES // (1024 * 1024)},
            )
        return upload


class AssignSeatsForm(forms.Form):
    contract_training = forms.IntegerField(widget=forms.HiddenInput)
    staff = forms.TypedMultipleChoiceField(
        label=_("People"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [(p.pk, p.display_name) for p in people]


class JoinForm(forms.Form):
    share_portfolio = forms.BooleanField(
        label=_("Also share my portfolio and endorsement readiness with the center's managers"),
        required=False,
        help_text=_("You can stop sharing at any time; it takes effect at once."),
    )


class ClaimAccountForm(SetPasswordForm):
    """The invited person's first password, set from the invitation."""
