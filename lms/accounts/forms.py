from django import forms

from .models import LearnerProfile, SharingConsent
from .services import get_or_create_profile


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form: the name that goes on certificates."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        get_or_create_profile(user=user)


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")

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
        ]
        labels = {
            "association": "Endorsing association",
            "target_category": "Target endorsement category",
            "target_date": "Apply by (optional)",
        }
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}


def association_queryset():
    """Associations, read through the consent's own foreign key (accounts imports nothing
    from organizations)."""
    model = SharingConsent._meta.get_field("organization").related_model
    return model.objects.filter(kind="association").order_by("name")


class SharingForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=SharingConsent.objects.none(), to_field_name="slug", label="Association"
    )
    share = forms.TypedChoiceField(
        choices=[("yes", "Share"), ("no", "Stop sharing")],
        coerce=lambda value: value == "yes",
        label="Share",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = association_queryset()
