"""What learning platforms (Canvas, Moodle…) told Attune about a person, in their download;
erasure blanks it. A platform sends the person's name and e-mail with each launch and in its
course rosters: the download lists the platform accounts linked to theirs, the links they
opened and the course rosters they are on. Erasure blanks the names and e-mails the
platforms sent; the link itself stays, so a later launch from that platform finds the erased
(inactive) account and is refused rather than making a new one, and what that launch sent
is blanked again. Registered with
``lms.accounts.privacy`` from ``LtiConfig.ready()``."""

from django.utils.translation import gettext_lazy
from lti_tool.models import LtiUser

from lms.accounts.privacy import register_section

from .models import PlacementLaunch, RosterMember


def export_platform_accounts(*, user):
    return [
        {
            "platform": platform_user.registration.name,
            "your_id_there": platform_user.sub,
            "name": platform_user.name,
            "given_name": platform_user.given_name,
            "family_name": platform_user.family_name,
            "email": platform_user.email,
            "first_seen_at": platform_user.datetime_created,
        }
        for platform_user in LtiUser.objects.filter(auth_user=user)
        .select_related("registration")
        .order_by("datetime_created")
    ]


def export_launches(*, user):
    rows = []
    launches = PlacementLaunch.objects.filter(user=user).select_related(
        "placement__connection__organization",
        "placement__training",
        "placement__lesson",
        "placement__module",
    )
    for launch in launches.order_by("first_launched_at"):
        placement = launch.placement
        opened = placement.lesson or placement.training or placement.module
        rows.append(
            {
                "organization": placement.connection.organization.name,
                "opened": str(opened) if opened is not None else None,
                "first_launched_at": launch.first_launched_at,
                "last_launched_at": launch.last_launched_at,
            }
        )
    return rows


def export_roster_memberships(*, user):
    return [
        {
            "course": member.context.title,
            "name": member.name,
            "email": member.email,
            "roles": member.roles,
            "active": member.is_active,
            "synced_at": member.synced_at,
        }
        for member in RosterMember.objects.filter(user=user)
        .select_related("context")
        .order_by("synced_at")
    ]


def forget_platform_details(platform_users) -> None:
    """Blank what platforms sent about these platform users (a queryset of ``LtiUser``)."""
    platform_users.update(given_name="", family_name="", name="", email="", picture_url="")


def erase_platform_data(*, user, anonymous_id):
    forget_platform_details(LtiUser.objects.filter(auth_user=user))
    RosterMember.objects.filter(user=user).update(name="", email="")


def register() -> None:
    register_section(
        "learning_platform_accounts",
        description=gettext_lazy("Your accounts on learning platforms that open Attune"),
        export=export_platform_accounts,
        erase=erase_platform_data,
    )
    register_section(
        "learning_platform_launches",
        description=gettext_lazy("What you opened from a learning platform"),
        export=export_launches,
    )
    register_section(
        "learning_platform_rosters",
        description=gettext_lazy("Course rosters of learning platforms you are on"),
        export=export_roster_memberships,
    )
