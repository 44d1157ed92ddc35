"""Reminder e-mails before a membership ends: 30 and 7 days before, each once per end
date (renewing moves the end date, so the next term is reminded again), in the member's
language and the association's brand."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lms.endorsement.selectors.languages import document_language
from lms.organizations.branding import brand_for_organization
from lms.organizations.mail import send_branded_mail
from lms.records.links import public_url

from .models import AssociationMembership, MembershipStatus

FIRST, LAST = 30, 7


def send_membership_reminders(*, today: datetime.date | None = None) -> int:
    """E-mail members whose membership ends within 30 (then 7) days. Returns how many."""
    today = today or timezone.localdate()
    due = AssociationMembership.objects.filter(
        status=MembershipStatus.ACTIVE,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=FIRST),
    ).filter(
        Q(reminded_30_for__isnull=True)
        | ~Q(reminded_30_for=F("ends_on"))
        | (
            Q(ends_on__lte=today + datetime.timedelta(days=LAST))
            & (Q(reminded_7_for__isnull=True) | ~Q(reminded_7_for=F("ends_on")))
        )
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        sent += _remind(pk, today)
    return sent


@transaction.atomic
def _remind(pk: int, today: datetime.date) -> int:
    membership = (
        AssociationMembership.objects.select_for_update(of=("self",))
        .select_related("person", "association", "plan")
        .get(pk=pk)
    )
    left = (membership.ends_on - today).days
    if membership.status != MembershipStatus.ACTIVE or left < 0:
        return 0
    last = left <= LAST
    if membership.reminded_7_for == membership.ends_on or (
        not last and membership.reminded_30_for == membership.ends_on
    ):
        return 0
    with translation.override(document_language(membership.person)):
        send_branded_mail(
            brand=brand_for_organization(membership.association),
            subject=_("Your membership ends on %(day)s")
            % {"day": date_format(membership.ends_on, "DATE_FORMAT")},
            template="commerce/memberships/email/membership_reminder.txt",
            context={
                "membership": membership,
                "days_left": left,
                "link": public_url(
                    reverse("commerce:membership_plans", args=[membership.association.slug])
                ),
            },
            to=[membership.person.email],
        )
    # Marked in the same transaction as the sending: a refused e-mail is tried again.
    membership.reminded_30_for = membership.ends_on
    if last:
        membership.reminded_7_for = membership.ends_on
    membership.save(update_fields=["reminded_30_for", "reminded_7_for"])
    return 1
