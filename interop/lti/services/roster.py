"""Names and Role Provisioning: a platform course's roster becomes a private cohort.

An instructor (from a launch) or the organization's admin pulls the roster of a platform
context. Every member gets their platform account (``LtiUser``, by registration and ``sub``)
and an Attune account the way a launch makes one (``services.identity``); learners are
enrolled in the trainings placed in that context. Pulling again updates the same rows: a
member the platform no longer lists is kept, marked inactive, and never unenrolled.
"""

import dataclasses
import logging

from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiContext, LtiUser
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from courses.models import Enrollment, EnrollmentStatus
from courses.selectors.enrollment import current_enrollment
from courses.services.enrollment import EnrollmentError, enroll_by_seat

from ..models import Placement
from ..models_services import RosterMember
from .identity import user_for
from .launches import seat_ref

logger = logging.getLogger(__name__)

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
# At most this many pages of members are read (a loop in a platform's paging must end).
MAX_PAGES = 200


class RosterError(Exception):
    """The roster could not be read; the message says why."""


def _short(role: str) -> str:
    return role.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _is(role_name: str, roles) -> bool:
    return any(_short(role) == role_name for role in roles or ())


def fetch_members(*, context: LtiContext) -> list[dict]:
    """Every member the platform lists for the context, page after page."""
    if not context.memberships_url:
        raise RosterError("no memberships URL")
    registration = context.deployment.registration
    service = NamesRolesProvisioningService(
        ServiceConnector(registration.to_registration()),
        {"context_memberships_url": context.memberships_url},
    )
    members: list[dict] = []
    url: str | None = context.memberships_url
    seen: set[str] = set()
    while url and url not in seen and len(seen) < MAX_PAGES:
        seen.add(url)
        data = service.get_nrps_data(members_url=url)
        body = data.get("body") or {}
        members.extend(body.get("members", []))
        # The Link header (the spec), or a "next" in the body (some platforms).
        url = data.get("next_page_url") or body.get("next")
    return members


@dataclasses.dataclass(frozen=True)
class RosterResult:
    members: int
    learners: int
    enrolled: int
    inactive: int


def _enroll(*, user, placement) -> bool:
    """Enroll a rostered learner in a placed training as a launch does (on the organization's
    platform seat); True if this made the enrollment."""
    if current_enrollment(learner=user, training=placement.training) is not None:
        return False
    try:
        enroll_by_seat(
            learner=user, training=placement.training, seat_ref=seat_ref(placement.connection)
        )
    except EnrollmentError as error:
        logger.info(
            "Rostered learner %s not enrolled in %s: %s", user.pk, placement.training_id, error
        )
        return False
    return True


def sync_roster(*, context_id: int) -> RosterResult:
    """Pull the context's roster from the platform into its cohort; idempotent."""
    context = LtiContext.objects.select_related("deployment__registration").get(pk=context_id)
    members = fetch_members(context=context)
    registration = context.deployment.registration
    placements = list(
        Placement.objects.filter(
            resource_link__context=context, training__isnull=False
        ).select_related("training", "connection")
    )
    now = timezone.now()
    listed: set[str] = set()
    learners = enrolled = 0
    for member in members:
        sub = str(member.get("user_id") or "")
        if not sub or sub in listed:
            continue
        listed.add(sub)
        roles = member.get("roles") or []
        active = (member.get("status") or "Active") == "Active"
        is_learner = _is("Learner", roles)
        with transaction.atomic():
            lti_user, _ = LtiUser.objects.update_or_create(
                registration=registration,
                sub=sub,
                defaults={
                    key: member[field]
                    for key, field in (
                        ("name", "name"),
                        ("given_name", "given_name"),
                        ("family_name", "family_name"),
                        ("email", "email"),
                    )
                    if member.get(field)
                },
            )
            # The account a launch would make or link (never matched by an unverified e-mail).
            user = user_for(lti_user=lti_user, claims=member)
            RosterMember.objects.update_or_create(
                context=context,
                sub=sub,
                defaults={
                    "user": user,
                    "name": member.get("name") or "",
                    "email": member.get("email") or "",
                    "roles": roles,
                    "is_learner": is_learner,
                    "is_instructor": _is("Instructor", roles) or _is("Administrator", roles),
                    "is_active": active,
                    "synced_at": now,
                },
            )
            if is_learner and active and user is not None:
                learners += 1
                for placement in placements:
                    enrolled += _enroll(user=user, placement=placement)
    inactive = (
        RosterMember.objects.filter(context=context, is_active=True)
        .exclude(sub__in=listed)
        .update(is_active=False, synced_at=now)
    )
    return RosterResult(
        members=len(listed), learners=learners, enrolled=enrolled, inactive=inactive
    )


@dataclasses.dataclass(frozen=True)
class RosterRow:
    member: RosterMember
    enrollments: list


def roster_rows(*, context) -> list[RosterRow]:
    """Each member of the context's cohort with their enrollments in its placed trainings."""
    training_ids = list(
        Placement.objects.filter(
            resource_link__context=context, training__isnull=False
        ).values_list("training_id", flat=True)
    )
    members = list(RosterMember.objects.filter(context=context).select_related("user"))
    by_user: dict[int, list] = {}
    for enrollment in (
        Enrollment.objects.filter(
            learner_id__in=[m.user_id for m in members if m.user_id],
            training_id__in=training_ids,
        )
        .exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("training")
        .order_by("training__title")
    ):
        by_user.setdefault(enrollment.learner_id, []).append(enrollment)
    return [RosterRow(member=m, enrollments=by_user.get(m.user_id, [])) for m in members]
