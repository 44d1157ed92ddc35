"""The professional licenses a learner keeps in their profile (reads and writes).

A continuing-education board may need the learner's license number on their certificate;
kept here, it is typed once and offered whenever the learner claims such a credit."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import LicenseProfession, ProfessionalLicense, User

MAX_NUMBER = ProfessionalLicense._meta.get_field("number").max_length
MAX_JURISDICTION = ProfessionalLicense._meta.get_field("jurisdiction").max_length


def licenses_of(*, user: User):
    return ProfessionalLicense.objects.filter(user=user).order_by("profession")


def _has_control_characters(text: str) -> bool:
    # A NUL byte or a line break is never part of a number a board printed (and PostgreSQL
    # refuses NUL in text).
    return any(unicodedata.category(char) == "Cc" for char in text)


def clean_license(*, profession: str, number: str, jurisdiction: str = "") -> tuple[str, str]:
    """The number and state as kept, or a ``ValidationError`` keyed by field."""
    errors = {}
    number = (number or "").strip()
    jurisdiction = (jurisdiction or "").strip()
    if profession not in LicenseProfession.values:
        errors["profession"] = [_("Choose a license.")]
    if not number:
        errors["number"] = [_("Enter the license number.")]
    elif _has_control_characters(number):
        errors["number"] = [_("Enter the license number as it is printed on your license.")]
    elif len(number) > MAX_NUMBER:
        errors["number"] = [
            _("A license number has at most %(max)s characters.") % {"max": MAX_NUMBER}
        ]
    if _has_control_characters(jurisdiction):
        errors["jurisdiction"] = [_("Enter the state's name.")]
    elif len(jurisdiction) > MAX_JURISDICTION:
        errors["jurisdiction"] = [
            _("A state has at most %(max)s characters.") % {"max": MAX_JURISDICTION}
        ]
    if errors:
        raise ValidationError(errors)
    return number, jurisdiction


def save_license(
    *, user: User, profession: str, number: str, jurisdiction: str = ""
) -> ProfessionalLicense:
    """Add the learner's license of ``profession`` or change its number and state (one per
    profession). Saving twice at once keeps one row."""
    number, jurisdiction = clean_license(
        profession=profession, number=number, jurisdiction=jurisdiction
    )
    values = {"number": number, "jurisdiction": jurisdiction}
    try:
        with transaction.atomic():
            held, _created = ProfessionalLicense.objects.update_or_create(
                user=user, profession=profession, defaults=values
            )
    except IntegrityError:
        # A simultaneous save made the row first: this one changes it.
        ProfessionalLicense.objects.filter(user=user, profession=profession).update(**values)
        held = ProfessionalLicense.objects.get(user=user, profession=profession)
    return held


def remove_license(*, user: User, profession: str) -> bool:
    """Forget the learner's license of ``profession``. Claims already made keep the number
    their certificate shows. Returns whether there was one."""
    deleted, _rows = ProfessionalLicense.objects.filter(user=user, profession=profession).delete()
    return bool(deleted)
