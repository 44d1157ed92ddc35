"""Renewal dates and reminders: when an endorsement is next due, and the e-mails sent before."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lms.organizations.branding import brand_for_organization
from lms.organizations.mail import send_branded_mail
from lms.records.links import public_url

from ..models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Endorsement,
    RenewalReminder,
    RequirementSet,
)
from ..rules.cycles import first_renewal_due, next_renewal_due
from ..rules.rule_sets import SetKind
from ..selectors.languages import document_language


def renewal_due_for(
    *, association, category, endorsed_on: datetime.date, on: datetime.date | None = None
) -> datetime.date | None:
    """When an endorsement issued on ``endorsed_on`` is next due for renewal, by the renewal
    rules in effect on ``on`` (the endorsement date by default), or None without such rules."""
    on = on or endorsed_on
    renewal = (
        RequirementSet.objects.filter(
            association=association, category=category, kind=SetKind.RENEWAL
        )
        .in_effect(on)
        .order_by("-effective_from")
        .first()
    )
    if renewal is None:
        return None
    due = first_renewal_due(renewal.window, endorsed_on)
    # An endorsement entered years after it was granted is due in the cycle running now.
    while due < on:
        due = next_renewal_due(renewal.window, due, endorsed_on=endorsed_on)
    return due


def reminder_offsets() -> list[int]:
    """Days before the due date when holders are reminded, smallest last."""
    days = getattr(settings, "ATTUNE_RENEWAL_REMINDER_DAYS", (60, 14))
    return sorted({int(d) for d in days if int(d) >= 0}, reverse=True)


def send_renewal_reminders(*, today: datetime.date | None = None) -> int:
    """E-mail holders whose renewal falls due within a reminder offset. Each reminder is a
    row (endorsement, due date, offset) written with the e-mail, so running this any number
    of times sends each reminder once; a run that finds several offsets passed sends only the
    nearest. Holders who have already submitted their renewal are not reminded."""
    today = today or timezone.localdate()
    offsets = reminder_offsets()
    if not offsets:
        return 0
    in_hand = Application.objects.filter(
        kind=ApplicationKind.RENEWAL, endorsement=models.OuterRef("pk")
    ).exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
    due = (
        Endorsement.objects.filter(
            renewal_due__gte=today,
            renewal_due__lte=today + datetime.timedelta(days=offsets[0]),
            revoked_at__isnull=True,
        )
        .exclude(models.Exists(in_hand))
        .select_related("learner", "association", "category")
    )
    sent = 0
    for endorsement in due:
        left = (endorsement.renewal_due - today).days
        days_before = min(d for d in offsets if d >= left)
        if _remind(endorsement, days_before, left):
            sent += 1
    return sent


@transaction.atomic
def _remind(endorsement: Endorsement, days_before: int, left: int) -> bool:
    reminder, _created = RenewalReminder.objects.get_or_create(
        endorsement=endorsement, due_on=endorsement.renewal_due, days_before=days_before
    )
    reminder = RenewalReminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.sent_at is not None:
        return False
    context = {
        "endorsement": endorsement,
        "days_left": left,
        "link": public_url(reverse("endorsement:applications")),
    }
    # Sent inside the transaction: if the mail server refuses, no row says it was sent and the
    # next run tries again.
    with translation.override(document_language(endorsement.learner)):
        send_branded_mail(
            brand=brand_for_organization(endorsement.association),
            subject=_("Your %(code)s endorsement is due for renewal by %(due)s")
            % {
                "code": endorsement.category.code,
                "due": date_format(endorsement.renewal_due, "DATE_FORMAT"),
            },
            template="endorsement/email/renewal_reminder.txt",
            context=context,
            to=[endorsement.learner.email],
        )
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at"])
    return True
