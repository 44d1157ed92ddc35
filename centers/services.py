"""Writes for centers: contract transitions, the roster and invitations, seats, sharing.

Each status change is one function that checks where it starts. Seats are assigned and
released under a lock on the contract's row (``select_for_update``; SQLite's IMMEDIATE
transactions serialize writers the same way), and the database's check on
``seats_used <= seat_count`` refuses an over-assignment whatever happens.
"""

import contextlib
import datetime
import logging
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centers.enrollment import enroll_on_seat, withdraw_from_seat
from centers.values import SeatRefused
from lms.accounts.models import ConsentScope, User
from lms.accounts.services import get_or_create_profile, grant_consent, revoke_consent
from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.organizations.mail import branded_message, send_branded_messages
from lms.organizations.models import (
    ON_ROSTER,
    CenterProgram,
    Contract,
    ContractStatus,
    ContractTraining,
    OrganizationKind,
    Role,
    SeatAssignment,
    SeatStatus,
    StaffMember,
    StaffStatus,
)
from lms.organizations.services import add_member, remove_member

logger = logging.getLogger(__name__)


class RosterError(Exception):
    """A roster change the manager asked for cannot happen; the message says why."""


class ContractError(Exception):
    """A contract cannot move to the status asked for; the message says why."""


# ---------------------------------------------------------------------------------------------
# Contracts


def contract_problems(contract: Contract) -> list[str]:
    """What stops a contract from being valid, in words for the association."""
    problems = []
    if contract.association_id and contract.association.kind != OrganizationKind.ASSOCIATION:
        problems.append(_("The contract must be given by an association."))
    if contract.center_id and contract.center.kind != OrganizationKind.CENTER:
        problems.append(_("The contract must be with a center."))
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        problems.append(_("The contract must end on or after the day it starts."))
    if (
        contract.pk
        and contract.seat_count is not None
        and contract.seat_count < contract.seats_used
    ):
        problems.append(
            ngettext(
                "%(count)d seat is already assigned: the contract needs at least that many.",
                "%(count)d seats are already assigned: the contract needs at least that many.",
                contract.seats_used,
            )
            % {"count": contract.seats_used}
        )
    return problems


def _locked(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("association", "center")
        .get(pk=contract.pk)
    )


@transaction.atomic
def activate_contract(*, contract: Contract) -> Contract:
    """Draft → active: the center sees the contract and its manager may assign seats."""
    contract = _locked(contract)
    if contract.status != ContractStatus.DRAFT:
        raise ContractError(_("Only a draft contract can be activated."))
    problems = contract_problems(contract)
    if not contract.trainings.exists():
        problems.append(_("Add at least one training before activating the contract."))
    if contract.seat_count < 1:
        problems.append(_("A contract needs at least one seat."))
    if problems:
        raise ContractError(" ".join(problems))
    contract.status = ContractStatus.ACTIVE
    contract.activated_at = timezone.now()
    contract.save(update_fields=["status", "activated_at"])
    return contract


@transaction.atomic
def end_contract(*, contract: Contract) -> Contract:
    """Active → ended: no more seats are assigned. Staff keep their enrollments and records."""
    contract = _locked(contract)
    if contract.status != ContractStatus.ACTIVE:
        raise ContractError(_("Only an active contract can be ended."))
    contract.status = ContractStatus.ENDED
    contract.ended_at = timezone.now()
    contract.save(update_fields=["status", "ended_at"])
    return contract


# ---------------------------------------------------------------------------------------------
# Programs and the roster


@transaction.atomic
def add_program(*, center, name: str) -> CenterProgram:
    name = (name or "").strip()
    if not name:
        raise RosterError(_("Give the program a name."))
    existing = CenterProgram.objects.filter(center=center, name__iexact=name).first()
    if existing is not None:
        return existing
    return CenterProgram.objects.create(center=center, name=name)


def normalize_email(value: str) -> str:
    """The e-mail as the roster compares it; raises ``ValidationError`` when malformed."""
    value = (value or "").strip()
    validate_email(value)
    return value


def split_name(name: str) -> tuple[str, str]:
    """First and last name from one "name" column: the last word is the family name."""
    parts = " ".join((name or "").split()).rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


@dataclass(frozen=True)
class Added:
    staff: StaffMember
    new_account: bool


def _account_for(*, email: str, name: str, job_role: str) -> tuple[User, bool]:
    """The person's own account, found by e-mail whatever its case, or a new one they will
    claim from the invitation. An existing account is never changed."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    first, last = split_name(name)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=None, first_name=first, last_name=last
            )
    except IntegrityError:
        # Someone signed up with this address a moment ago: theirs is the account.
        return User.objects.get(email__iexact=email), False
    profile = get_or_create_profile(user=user)
    if job_role:
        profile.job_role = job_role[:120]
        profile.save(update_fields=["job_role"])
    return user, True


@transaction.atomic
def add_staff(
    *, center, email: str, name: str = "", job_role: str = "", program=None, by=None, invite=True
) -> Added:
    """Put a person on the center's roster and invite them to join (``invite=False`` leaves
    the e-mail to the caller, who sends many at once).

    Someone already on the roster (invited or joined) is refused; someone who left or was
    removed is invited again.
    """
    try:
        email = normalize_email(email)
    except ValidationError as error:
        raise RosterError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}
        ) from error
    if program is not None and program.center_id != center.pk:
        raise RosterError(_("Choose one of this center's programs."))
    user, new_account = _account_for(email=email, name=name, job_role=job_role)
    staff = StaffMember.objects.select_for_update().filter(center=center, user=user).first()
    if staff is not None and staff.status in ON_ROSTER:
        raise RosterError(_("%(email)s is already on the roster.") % {"email": email})
    now = timezone.now()
    fields = {
        "roster_name": (name or "").strip()[:200],
        "job_role": (job_role or "").strip()[:120],
        "program": program,
        "status": StaffStatus.INVITED,
        "added_by": by,
        "invited_at": now,
        "joined_at": None,
        "ended_at": None,
    }
    if staff is None:
        staff = StaffMember.objects.create(center=center, user=user, **fields)
    else:
        for key, value in fields.items():
            setattr(staff, key, value)
        staff.save()
    record_event(action=AuditAction.STAFF_ADDED, organization=center, target=user, actor=by)
    if invite:
        send_invitations(staff_ids=[staff.pk])
    return Added(staff=staff, new_account=new_account)


@transaction.atomic
def update_staff(*, staff: StaffMember, job_role: str, program) -> StaffMember:
    if program is not None and program.center_id != staff.center_id:
        raise RosterError(_("Choose one of this center's programs."))
    staff.job_role = (job_role or "").strip()[:120]
    staff.program = program
    staff.save(update_fields=["job_role", "program"])
    return staff


# ---------------------------------------------------------------------------------------------
# Invitations: a signed link naming the roster row and the moment of the invitation, so that
# inviting again (or removing) makes older links useless.

INVITATION_SALT = "attune.centers.invitation"


def invitation_token(staff: StaffMember) -> str:
    return signing.dumps(
        {"staff": staff.pk, "at": staff.invited_at.isoformat() if staff.invited_at else ""},
        salt=INVITATION_SALT,
    )


def invitation_days() -> int:
    return int(getattr(settings, "ATTUNE_CENTER_INVITATION_DAYS", 30))


def staff_for_invitation(token: str) -> StaffMember | None:
    """The invited roster row the link names, if the link is genuine, current and the
    invitation still open."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=datetime.timedelta(days=invitation_days())
        )
    except signing.BadSignature:
        return None
    staff = (
        StaffMember.objects.filter(pk=data.get("staff"), status=StaffStatus.INVITED)
        .select_related("center", "user")
        .first()
    )
    if staff is None or not staff.invited_at or staff.invited_at.isoformat() != data.get("at"):
        return None
    return staff


def public_url(path: str) -> str:
    base = getattr(settings, "ATTUNE_PUBLIC_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def _invitation_message(staff: StaffMember):
    """In Attune's brand: a center trains through several associations' contracts."""
    context = {
        "staff": staff,
        "center": staff.center,
        "link": public_url(reverse("centers:join", args=[invitation_token(staff)])),
        "has_password": staff.user.has_usable_password(),
        "days": invitation_days(),
    }
    return branded_message(
        brand=None,
        subject=_("%(center)s invites you to train with Attune") % {"center": staff.center.name},
        template="organizations/email/invitation.txt",
        context=context,
        to=[staff.user.email],
    )


def send_invitations(*, staff_ids) -> None:
    """E-mail the invitations once the transaction that made them commits, in one
    connection to the mail server however many there are."""
    ids = list(staff_ids)

    def deliver():
        staff = (
            StaffMember.objects.filter(pk__in=ids, status=StaffStatus.INVITED)
            .select_related("center", "user")
            .annotate(language=F("user__profile__language"))
        )
        # Each in the invited person's own language when they chose one, else in the
        # language of the manager who invited them (the active one).
        current = translation.get_language()
        messages = []
        for person in staff:
            with translation.override(person.language or current):
                messages.append(_invitation_message(person))
        try:
            send_branded_messages(messages)
        except OSError:
            logger.exception("Could not send %d center invitations", len(messages))

    transaction.on_commit(deliver)


@transaction.atomic
def resend_invitation(*, staff: StaffMember) -> StaffMember:
    staff = StaffMember.objects.select_for_update().get(pk=staff.pk)
    if staff.status != StaffStatus.INVITED:
        raise RosterError(_("Only someone who has not joined yet can be invited again."))
    staff.invited_at = timezone.now()
    staff.save(update_fields=["invited_at"])
    send_invitations(staff_ids=[staff.pk])
    return staff


@transaction.atomic
def claim_account(*, user: User, password: str) -> User:
    """An invited person without a password sets one: the invitation reached their inbox,
    so the address is theirs."""
    if user.has_usable_password():
        raise RosterError(_("This account already has a password: sign in instead."))
    user.set_password(password)
    user.save(update_fields=["password"])
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email}
    )
    if not address.verified or not address.primary:
        address.verified = True
        address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user


@transaction.atomic
def join_center(*, staff: StaffMember, user, share_portfolio: bool = False) -> StaffMember:
    """Invited → joined. Joining shares progress on the center's contracted trainings; the
    portfolio and readiness only if the person also chose to share them."""
    staff = StaffMember.objects.select_for_update().select_related("center").get(pk=staff.pk)
    if staff.user_id != user.pk:
        raise RosterError(_("This invitation is for someone else."))
    if staff.status != StaffStatus.INVITED:
        raise RosterError(_("This invitation has already been answered."))
    staff.status = StaffStatus.ACTIVE
    staff.joined_at = timezone.now()
    staff.save(update_fields=["status", "joined_at"])
    add_member(organization=staff.center, user=user, role=Role.STAFF)
    if share_portfolio:
        grant_consent(user=user, organization=staff.center, scope=ConsentScope.CENTER_PORTFOLIO)
    return staff


@transaction.atomic
def accept_invitation(
    *, staff: StaffMember, user, password: str | None = None, share_portfolio: bool = False
) -> StaffMember:
    """Answer the invitation: set the first password of a new account if given, then join."""
    if password is not None:
        claim_account(user=user, password=password)
    return join_center(staff=staff, user=user, share_portfolio=share_portfolio)


@transaction.atomic
def set_portfolio_sharing(*, staff: StaffMember, user, share: bool) -> bool:
    """The person shares, or stops sharing, their portfolio and readiness with the center.
    Stopping takes effect with the manager's next page or export."""
    if staff.user_id != user.pk:
        raise RosterError(_("Only the person themselves decides what they share."))
    if not share:
        return revoke_consent(
            user=user, organization=staff.center, scope=ConsentScope.CENTER_PORTFOLIO
        )
    if staff.status != StaffStatus.ACTIVE:
        raise RosterError(_("Join the center before sharing your portfolio with it."))
    grant_consent(user=user, organization=staff.center, scope=ConsentScope.CENTER_PORTFOLIO)
    return True


def _end(staff: StaffMember, status: str, *, by) -> StaffMember:
    """Take the person off the roster: membership and portfolio consent end, seats of
    trainings they have not completed go back to the contract."""
    staff = (
        StaffMember.objects.select_for_update().select_related("center", "user").get(pk=staff.pk)
    )
    if staff.status not in ON_ROSTER:
        raise RosterError(_("This person is no longer on the roster."))
    for seat in SeatAssignment.objects.filter(staff=staff, status=SeatStatus.ASSIGNED):
        # A completed training keeps its seat: it was used.
        with contextlib.suppress(SeatRefused):
            release_seat(seat=seat, by=by)
    staff.status = status
    staff.ended_at = timezone.now()
    staff.save(update_fields=["status", "ended_at"])
    record_event(
        action=AuditAction.STAFF_ENDED,
        organization=staff.center,
        target=staff.user,
        details={"status": status},
        actor=by,
    )
    remove_member(organization=staff.center, user=staff.user, role=Role.STAFF)
    revoke_consent(user=staff.user, organization=staff.center, scope=ConsentScope.CENTER_PORTFOLIO)
    return staff


@transaction.atomic
def remove_staff(*, staff: StaffMember, by) -> StaffMember:
    return _end(staff, StaffStatus.REMOVED, by=by)


@transaction.atomic
def leave_center(*, staff: StaffMember, user) -> StaffMember:
    if staff.user_id != user.pk:
        raise RosterError(_("Only the person themselves can leave."))
    return _end(staff, StaffStatus.LEFT, by=user)


# ---------------------------------------------------------------------------------------------
# Seats


@transaction.atomic
def assign_seats(
    *, contract_training: ContractTraining, staff, by, on=None
) -> list[SeatAssignment]:
    """Give each of ``staff`` a seat in ``contract_training`` and enroll them.

    All or nothing: if the contract has fewer free seats than people, or one of them cannot
    be enrolled, nobody is assigned. The contract's row is locked while seats are counted.
    """
    on = on or timezone.localdate()
    contract = _locked(contract_training.contract)
    if not contract.is_open_on(on):
        raise SeatRefused(_("This contract is not open for seat assignments today."))
    contract_training = ContractTraining.objects.select_related("training").get(
        pk=contract_training.pk, contract=contract
    )
    people = list(
        StaffMember.objects.filter(pk__in=[s.pk for s in staff], center=contract.center)
        .select_related("user")
        .order_by("pk")
    )
    if len(people) != len({s.pk for s in staff}):
        raise SeatRefused(_("Choose people on this center's roster."))
    if not people:
        raise SeatRefused(_("Choose at least one person."))
    off_roster = [p.display_name for p in people if p.status not in ON_ROSTER]
    if off_roster:
        raise SeatRefused(
            _("Not on the roster any more: %(names)s.") % {"names": ", ".join(off_roster)}
        )
    holding = set(
        SeatAssignment.objects.filter(
            contract_training__training_id=contract_training.training_id,
            staff__in=people,
            status=SeatStatus.ASSIGNED,
        ).values_list("staff_id", flat=True)
    )
    if holding:
        names = ", ".join(p.display_name for p in people if p.pk in holding)
        raise SeatRefused(
            _("Already holding a seat in this training: %(names)s.") % {"names": names}
        )
    if len(people) > contract.seats_free:
        left = contract.seats_free
        raise SeatRefused(
            ngettext(
                "Only %(count)d seat left on “%(contract)s”: choose at most %(count)d.",
                "Only %(count)d seats left on “%(contract)s”: choose at most %(count)d.",
                left,
            )
            % {"count": left, "contract": contract.title}
        )
    Contract.objects.filter(pk=contract.pk).update(seats_used=F("seats_used") + len(people))
    seats = []
    for person in people:
        seat = SeatAssignment.objects.create(
            contract=contract, contract_training=contract_training, staff=person, assigned_by=by
        )
        enroll_on_seat(
            learner=person.user, training_id=contract_training.training_id, seat_ref=seat.seat_ref
        )
        seats.append(seat)
    return seats


@transaction.atomic
def release_seat(*, seat: SeatAssignment, by) -> SeatAssignment:
    """Give a seat back to the contract, cancelling its unfinished enrollment. A seat whose
    training was completed was used: it cannot be released."""
    contract = _locked(seat.contract)
    seat = (
        SeatAssignment.objects.select_for_update()
        .select_related("staff__user", "contract_training")
        .get(pk=seat.pk, contract=contract)
    )
    if seat.status != SeatStatus.ASSIGNED:
        raise SeatRefused(_("This seat has already been released."))
    withdrawn = withdraw_from_seat(
        learner=seat.staff.user,
        training_id=seat.contract_training.training_id,
        seat_ref=seat.seat_ref,
    )
    if not withdrawn:
        raise SeatRefused(
            _("%(person)s has completed this training: the seat was used.")
            % {"person": seat.staff.display_name}
        )
    seat.status = SeatStatus.RELEASED
    seat.released_at = timezone.now()
    seat.released_by = by
    seat.save(update_fields=["status", "released_at", "released_by"])
    Contract.objects.filter(pk=contract.pk).update(seats_used=F("seats_used") - 1)
    return seat
