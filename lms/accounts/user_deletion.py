"""Deleting a person must never take evidence with it: records, endorsements, applications,
consents and roster rows point to the account with PROTECT. The Wagtail admin's user delete
(one user, or the bulk action) asks first and, rather than a server error, says why and
points to erasure, which anonymises the person and keeps the evidence."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lms.deletion import kept_kinds

from .models import User


def kept_data_of(*, user) -> list[str]:
    """The kinds of rows that would stop ``user`` being deleted (empty: deleting is safe)."""
    return kept_kinds(objects=[user])


def refusal_message(*, user, kinds: list[str]) -> str:
    return _(
        "%(user)s cannot be deleted: Attune keeps their %(kinds)s as evidence for the "
        "associations. To remove their personal data, process an erasure request instead "
        "(Erasure requests in the menu): their name and e-mail go, and the evidence stays "
        "under an anonymous identity."
    ) % {"user": user.email, "kinds": ", ".join(kinds)}


def refuse_if_kept(request, users, back_url: str):
    """A redirect with the reason when any of ``users`` holds kept data, else None."""
    for user in users:
        if not isinstance(user, User):
            continue
        kinds = kept_data_of(user=user)
        if kinds:
            messages.error(request, refusal_message(user=user, kinds=kinds))
            return redirect(back_url)
    return None
