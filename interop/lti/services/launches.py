"""A resource-link launch from a connected platform, once pylti1p3 has validated it: who the
learner is, what the link opens, enrollment, and what Assignment and Grade Services and
Names and Role Provisioning need later (the line item per link; django-lti keeps the roster
URL per context). ``placements_for`` answers "where does this learner's grade for this
training go?" for the grade passback."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiLaunch, LtiUser
from lti_tool.utils import sync_data_from_launch

from courses.services.enrollment import EnrollmentError, enroll_by_seat

from ..models import Placement, PlacementLaunch, PlatformConnection
from ..privacy import forget_platform_details
from . import identity
from .errors import LaunchRefused
from .targets import Target, resolve_target

TARGET_LINK_URI = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
NONCE_LIFETIME = 24 * 60 * 60


def consume_nonce(*, registration_id: int, nonce: str) -> None:
    """A launch's nonce counts once: a second post of the same launch is refused.
    ``cache.add`` is atomic (locmem, Redis), so two racing posts cannot both pass."""
    if not cache.add(f"lti-nonce-used:{registration_id}:{nonce}", 1, NONCE_LIFETIME):
        raise LaunchRefused("nonce_reused")


def seat_ref(connection: PlatformConnection) -> str:
    """The enrollment's reference: the organization lets its platform's learners in."""
    return f"lti:{connection.pk}"


@dataclass(frozen=True)
class Outcome:
    user: object
    target: Target
    placement: Placement


def _ags(lti_launch: LtiLaunch) -> dict:
    claim = lti_launch.ags_claim or {}
    return {
        "lineitem_url": claim.get("lineitem", "") or "",
        "lineitems_url": claim.get("lineitems", "") or "",
        "ags_scopes": list(claim.get("scope", []) or []),
    }


def _placement(*, connection, lti_launch, target: Target) -> Placement:
    placement, _created = Placement.objects.update_or_create(
        resource_link=lti_launch.resource_link,
        defaults={
            "connection": connection,
            "training": target.training,
            "lesson": target.lesson,
            "module": target.module,
            **_ags(lti_launch),
        },
    )
    return placement


def _enroll(*, user, connection, target: Target) -> None:
    if target.training is None:
        return
    try:
        enroll_by_seat(learner=user, training=target.training, seat_ref=seat_ref(connection))
    except EnrollmentError as exc:
        raise LaunchRefused("cannot_enroll", detail=str(exc)) from exc


@transaction.atomic
def complete_resource_launch(*, lti_launch: LtiLaunch) -> Outcome:
    """Record the launch and return the learner and the target (no sign-in: the view's)."""
    connection = PlatformConnection.objects.select_related("organization").get(
        registration=lti_launch.registration
    )
    target = resolve_target(
        organization=connection.organization,
        custom=lti_launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/custom"),
        target_link_uri=lti_launch.get_claim(TARGET_LINK_URI) or "",
    )
    if target is None:
        raise LaunchRefused("no_target")
    sync_data_from_launch(lti_launch)
    lti_user = lti_launch.user
    user = identity.user_for(lti_user=lti_user, claims=lti_launch.get_launch_data())
    if not user.is_active:
        if user.is_erased:  # the platform sent the name again: an erased person's is not kept
            forget_platform_details(LtiUser.objects.filter(pk=lti_user.pk))
        raise LaunchRefused("unknown_platform", detail="inactive account")
    placement = _placement(connection=connection, lti_launch=lti_launch, target=target)
    now = timezone.now()
    launch, created = PlacementLaunch.objects.get_or_create(
        placement=placement,
        lti_user=lti_user,
        defaults={"user": user, "first_launched_at": now, "last_launched_at": now},
    )
    if not created:
        PlacementLaunch.objects.filter(pk=launch.pk).update(last_launched_at=now, user=user)
    _enroll(user=user, connection=connection, target=target)
    return Outcome(user=user, target=target, placement=placement)


def placements_for(*, user, training):
    """The placements through which ``user`` opened ``training`` (or one of its lessons),
    with the line item to post their score to; newest launch first."""
    return (
        Placement.objects.filter(training=training, launches__user=user)
        .select_related("resource_link__context__deployment__registration", "connection")
        .order_by("-launches__last_launched_at")
        .distinct()
    )
