"""Writes on references: the applicant names, replaces and re-invites raters; a rater rates
the applicant or declines through their signed link.
"""

import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.records.links import public_url
from lms.records.selectors.transcript import areas_in_effect

from ..models import (
    ACTIVE_REFERENCES,
    OPEN_STATUSES,
    RaterRelationship,
    RatingScale,
    ReferenceRating,
    ReferenceRequest,
    ReferenceStatus,
)
from ..selectors.languages import document_language
from ..selectors.references import reference_for_token, reference_link_max_age, reference_token
from ..selectors.requirements import category_areas
from .transitions import (
    application_rules,
    locked_application,
    mail_after_commit,
    require_applicant,
    require_status,
)


def _invite(reference: ReferenceRequest) -> str:
    """A new nonce (older links stop working) and the e-mail with the link."""
    reference.nonce = secrets.token_urlsafe(24)
    reference.invited_at = timezone.now()
    token = reference_token(reference)
    application = reference.application
    applicant = application.learner.get_full_name() or application.learner.email
    mail_after_commit(
        _("Reference rating for %(applicant)s's endorsement application")
        % {"applicant": applicant},
        "endorsement/email/reference_request.txt",
        {
            "reference": reference,
            "applicant": applicant,
            "application": application,
            "link": public_url(reverse("endorsement:reference", args=[token])),
            "days": reference_link_max_age().days,
        },
        reference.email,
        association=application.association,
    )
    return token


@transaction.atomic
def name_rater(
    *, application, learner, name: str, email: str, relationship: str
) -> ReferenceRequest:
    """Name a rater; they are e-mailed a link to rate the applicant."""
    require_applicant(application, learner)
    application = locked_application(application)
    require_status(
        application,
        *OPEN_STATUSES,
        action=pgettext("an application cannot be … now", "given another rater"),
    )
    requirement_set = application_rules(application)
    name, email = (name or "").strip(), (email or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give the rater's name.")]
    if not email or "@" not in email:
        errors["email"] = [_("Give the rater's e-mail address.")]
    elif email.lower() == learner.email.lower():
        errors["email"] = [_("You cannot rate yourself.")]
    if relationship not in RaterRelationship.values:
        errors["relationship"] = [_("Choose how the rater knows your work.")]
    if errors:
        raise ValidationError(errors)
    active = application.references.filter(status__in=ACTIVE_REFERENCES)
    if active.count() >= requirement_set.raters_required:
        raise ValidationError(
            _(
                "You have named %(count)s raters already; replace one who has not answered to "
                "name someone else."
            )
            % {"count": requirement_set.raters_required}
        )
    if application.references.exclude(status=ReferenceStatus.REPLACED).filter(email__iexact=email):
        raise ValidationError({"email": [_("You have already named this rater.")]})
    reference = ReferenceRequest(
        application=application,
        name=name[:160],
        email=email,
        relationship=relationship,
        invited_at=timezone.now(),
    )
    reference.save()
    _invite(reference)
    reference.save(update_fields=["nonce", "invited_at"])
    if relationship == RaterRelationship.CURRENT_SUPERVISOR and not application.supervisor_email:
        application.supervisor_name, application.supervisor_email = reference.name, email
        application.save(update_fields=["supervisor_name", "supervisor_email", "updated_at"])
    return reference


@transaction.atomic
def replace_rater(*, application, learner, reference_id: int) -> ReferenceRequest:
    """Withdraw a rater who has not given a usable rating, to name another."""
    require_applicant(application, learner)
    application = locked_application(application)
    require_status(
        application, *OPEN_STATUSES, action=pgettext("an application cannot be … now", "changed")
    )
    reference = application.references.select_for_update().filter(pk=reference_id).first()
    if reference is None:
        raise ValidationError(_("No such rater on this application."))
    if reference.status == ReferenceStatus.RECEIVED:
        raise ValidationError(
            _("%(name)s has already given their rating.") % {"name": reference.name}
        )
    reference.status, reference.nonce = ReferenceStatus.REPLACED, ""
    reference.save(update_fields=["status", "nonce"])
    return reference


@transaction.atomic
def resend_reference_link(*, application, learner, reference_id: int) -> ReferenceRequest:
    """Send a rater a new link (the old one stops working)."""
    require_applicant(application, learner)
    reference = (
        ReferenceRequest.objects.select_for_update()
        .select_related("application__learner")
        .filter(application=application, pk=reference_id, status=ReferenceStatus.INVITED)
        .first()
    )
    if reference is None:
        raise ValidationError(_("Only a rater who has not answered can be sent a new link."))
    _invite(reference)
    reference.save(update_fields=["nonce", "invited_at"])
    return reference


@transaction.atomic
def submit_reference(
    *, token: str, user, ratings: Mapping[str, str], comment: str = ""
) -> ReferenceRequest:
    """The rater's answer: one rating per competency area of the category. Too many "not
    enough information" answers (the association's rule) make the rating void."""
    reference = reference_for_token(token=token, user=user, lock=True)
    application = reference.application
    areas = category_areas(category=application.category)
    missing = [a.name for a in areas if ratings.get(a.code) not in RatingScale.values]
    if missing:
        raise ValidationError(
            _("Rate every area (missing: %(areas)s).") % {"areas": ", ".join(missing)}
        )
    requirement_set = application_rules(application)
    not_enough = sum(
        1 for a in areas if ratings[a.code] == RatingScale.NOT_ENOUGH_INFORMATION.value
    )
    area_rows = {
        a.code: a for a in areas_in_effect().filter(code__in=[area.code for area in areas])
    }
    ReferenceRating.objects.bulk_create(
        ReferenceRating(reference=reference, area=area_rows[a.code], rating=ratings[a.code])
        for a in areas
    )
    void = not_enough >= requirement_set.void_rating_at_nei
    reference.status = ReferenceStatus.VOID if void else ReferenceStatus.RECEIVED
    reference.not_enough_information = not_enough
    reference.responded_at, reference.responded_by = timezone.now(), user
    reference.comment, reference.nonce = (comment or "").strip(), ""
    reference.save()
    if void:
        # In the applicant's language, not the rater's.
        with translation.override(document_language(application.learner)):
            mail_after_commit(
                _("A reference rating could not be used"),
                "endorsement/email/reference_void.txt",
                {"reference": reference, "application": application},
                application.learner.email,
                association=application.association,
            )
    return reference


@transaction.atomic
def decline_reference(*, token: str, user, comment: str = "") -> ReferenceRequest:
    reference = reference_for_token(token=token, user=user, lock=True)
    reference.status = ReferenceStatus.DECLINED
    reference.responded_at, reference.responded_by = timezone.now(), user
    reference.comment, reference.nonce = (comment or "").strip(), ""
    reference.save()
    return reference
