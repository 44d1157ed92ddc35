from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ConsentScope, LearnerProfile, SharingConsent
from .services import get_or_create_profile


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form: the name that goes on certificates."""

    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        get_or_create_profile(user=user)


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))

    class Meta:
        model = LearnerProfile
        fields = [
            "discipline",
            "job_role",
            "work_setting",
            "state",
            "association",
            "target_category",
            "target_date",
            "time_zone",
            "captions_on",
            "caption_language",
            "language",
        ]
        labels = {
            "discipline": _("Discipline"),
            "job_role": _("Job role"),
            "work_setting": _("Work setting"),
            # Translators: a US state (or territory) where the learner works, not a status.
            "state": _("State"),
            "association": _("Endorsing association"),
            "target_category": _("Target endorsement category"),
            "target_date": _("Apply by (optional)"),
            "time_zone": _("Time zone"),
        }
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own name; the empty choice says what it means.
        self.fields["language"].choices = [
            ("", _("No preference: follow my browser")),
            *settings.LANGUAGES,
        ]


def association_queryset():
    """Associations, read through the consent's own foreign key (accounts imports nothing
    from organizations)."""
    model = SharingConsent._meta.get_field("organization").related_model
    return model.objects.filter(kind="association").order_by("name")


class SharingForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=SharingConsent.objects.none(), to_field_name="slug", label=_("Association")
    )
    share = forms.TypedChoiceField(
        choices=[("yes", _("Share")), ("no", _("Stop sharing"))],
        coerce=lambda value: value == "yes",
        label=_("Share"),
    )
    # What is shared: records (the API and webhooks) unless the form says learning activity.
    scope = forms.ChoiceField(
        choices=[
            (ConsentScope.ASSOCIATION_RECORDS.value, ConsentScope.ASSOCIATION_RECORDS.label),
            (ConsentScope.LEARNING_ACTIVITY.value, ConsentScope.LEARNING_ACTIVITY.label),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = association_queryset()

    def clean_scope(self):
        return self.cleaned_data.get("scope") or ConsentScope.ASSOCIATION_RECORDS


class ErasureRequestForm(forms.Form):
    """Asking to be erased: the password again, so that nobody at an unlocked screen can."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    phrase = forms.CharField(
        label=_("Type ERASE MY DATA"),
        required=False,
        help_text=_("If you sign in through your association and have no password here."),
    )
    reason = forms.CharField(
        label=_("Anything we should know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    CONFIRM_PHRASE = "ERASE MY DATA"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Confirm with the password; people who only sign in through their association's
        # site type the phrase instead.
        if user.has_usable_password():
            del self.fields["phrase"]
        else:
            del self.fields["password"]

    def clean(self):
        cleaned = super().clean()
        if "password" in self.fields:
            if not self.user.check_password(cleaned.get("password") or ""):
                self.add_error("password", _("That is not your password."))
        elif (cleaned.get("phrase") or "").strip().upper() != self.CONFIRM_PHRASE:
            self.add_error("phrase", _("Type ERASE MY DATA to confirm."))
        return cleaned
