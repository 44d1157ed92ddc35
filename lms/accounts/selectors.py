"""Reads on accounts: above all, whether a person consents to share something right now."""

from django.core.cache import cache
from django.db.models import QuerySet

from .models import ConsentScope, ErasureRequest, LearnerProfile, SharingConsent


def has_consent(*, user, organization, scope: str = ConsentScope.ASSOCIATION_RECORDS) -> bool:
    """Does ``user`` consent, at this moment, to share ``scope`` with ``organization``?"""
    user_id = getattr(user, "pk", user)
    organization_id = getattr(organization, "pk", organization)
    return (
        SharingConsent.objects.active()
        .filter(user_id=user_id, organization_id=organization_id, scope=scope)
        .exists()
    )


def active_consents(*, organization, scope: str = ConsentScope.ASSOCIATION_RECORDS) -> QuerySet:
    """The active consents given to ``organization`` for ``scope`` (use as a subquery)."""
    return SharingConsent.objects.active().filter(
        organization_id=getattr(organization, "pk", organization), scope=scope
    )


def consenting_user_ids(*, organization, scope: str = ConsentScope.ASSOCIATION_RECORDS):
    """Ids of the people who consent to share ``scope`` with ``organization``: a lazy
    queryset, so ``filter(learner__in=...)`` stays one SQL query."""
    return active_consents(organization=organization, scope=scope).values("user_id")


def consents_of(*, user) -> QuerySet[SharingConsent]:
    """The user's consents, active and ended, newest first."""
    return SharingConsent.objects.filter(user=user).select_related("organization")


def profile_of(*, user) -> LearnerProfile:
    """The user's profile, or an unsaved empty one: reading never makes a row (the first
    save of the profile form does)."""
    return LearnerProfile.objects.filter(user=user).first() or LearnerProfile(user=user)


def erasure_requests_of(*, user) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(user=user)


def caption_preferences(*, user, request=None) -> dict:
    """How videos start for ``user`` (the setting ``MEDIA_PIPELINE_VIEWER_PREFERENCES``
    names this): ``{"captions": bool, "language": "es" or ""}``. Anonymous viewers and
    people without a profile get nothing, so the player's defaults apply. Read once per
    request however many players a page has."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cache = user.__dict__
    if "_attune_caption_preferences" not in cache:
        row = (
            LearnerProfile.objects.filter(user=user)
            .values("captions_on", "caption_language")
            .first()
        )
        cache["_attune_caption_preferences"] = (
            {"captions": row["captions_on"], "language": row["caption_language"]} if row else {}
        )
    return cache["_attune_caption_preferences"]


# A day at most, should a profile ever change without its save signal (a queryset update).
LANGUAGE_CACHE_SECONDS = 24 * 3600


def language_cache_key(user_id) -> str:
    return f"attune:language:{user_id}"


def preferred_language(*, user) -> str:
    """The language ``user`` chose for Attune ("es"), or "" for no preference (anonymous
    visitors too). Kept in the shared cache until the profile is saved again, so the
    language middleware asks the database once per person, not on every page."""
    if not getattr(user, "is_authenticated", False):
        return ""
    held = user.__dict__
    if "_attune_language" not in held:
        key = language_cache_key(user.pk)
        language = cache.get(key)
        if language is None:
            language = (
                LearnerProfile.objects.filter(user=user).values_list("language", flat=True).first()
                or ""
            )
            cache.set(key, language, LANGUAGE_CACHE_SECONDS)
        held["_attune_language"] = language
    return held["_attune_language"]
