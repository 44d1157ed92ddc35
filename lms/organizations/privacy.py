"""A person's roles in organizations in their download; erasure ends them. Also tells the
erasure request page what each association keeps, and for how long."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.privacy import model_rows, register_retention_rules, register_section

from .models import Facilitator, Membership, Organization

DEFAULT_RETENTION = _(
    "Issued training records, endorsements granted through Attune and audit log entries are "
    "kept so that they can still be verified, under an anonymous identity with no name or "
    "e-mail address. Everything else about you is removed."
)


def export_memberships(*, user):
    return model_rows(
        Membership.objects.filter(user=user).select_related("organization"), user=user
    )


def export_facilitator_profiles(*, user):
    return model_rows(
        Facilitator.objects.filter(user=user).select_related(
            "organization", "endorsement_held", "photo"
        ),
        user=user,
    )


def erase_memberships(*, user, anonymous_id):
    # Roles end with the person; what they did in a role stays in the audit log.
    Membership.objects.filter(user=user).delete()
    # A facilitator profile is the public name of someone who taught (cited by records):
    # it stays, no longer linked to the erased account.
    Facilitator.objects.filter(user=user).update(user=None, email="")


def retention_rules(organization_ids: set[int]) -> list[dict]:
    return [
        {
            "organization": organization,
            "statement": organization.retention_statement or DEFAULT_RETENTION,
            "years": organization.retention_years,
        }
        for organization in Organization.objects.filter(pk__in=organization_ids).order_by("name")
    ]


def register() -> None:
    register_section(
        "memberships",
        description=gettext_lazy("Your roles in associations, institutes and centers"),
        export=export_memberships,
        erase=erase_memberships,
    )
    register_section(
        "facilitator_profiles",
        description=gettext_lazy("Facilitator profiles linked to your account"),
        export=export_facilitator_profiles,
    )
    register_retention_rules(retention_rules)
