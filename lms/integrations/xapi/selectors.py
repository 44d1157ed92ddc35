"""Reads: which stores want a learner's statements, and an association's store."""

from lms.accounts.models import ConsentScope, SharingConsent

from .models import LearningRecordStore


def stores_for(*, learner_id, association_id=None) -> list[LearningRecordStore]:
    """The switched-on stores of the associations ``learner_id`` shares learning activity
    with (one query; ``association_id`` narrows to one association)."""
    stores = LearningRecordStore.objects.filter(is_active=True).select_related("association__site")
    if association_id is not None:
        stores = stores.filter(association_id=association_id)
    consenting = (
        SharingConsent.objects.active()
        .filter(user_id=learner_id, scope=ConsentScope.LEARNING_ACTIVITY)
        .values("organization_id")
    )
    return list(stores.filter(association_id__in=consenting))


def store_of(*, association) -> LearningRecordStore | None:
    return LearningRecordStore.objects.filter(association=association).first()
