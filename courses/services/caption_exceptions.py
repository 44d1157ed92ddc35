"""Recording and revoking a reviewer's exception to the caption gate (audited)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from ..models import CaptionException, TrainingPage
from ..selectors.captions import training_caption_gaps
from ..selectors.ownership import association_for_page

REASON_MIN = 10
REASON_MAX = 500


class CaptionExceptionError(Exception):
    """The exception asked for cannot be recorded or revoked; the message says why."""


def clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise CaptionExceptionError(
            gettext(
                "Say why the training may be published without reviewed captions (at least "
                "%(count)s characters), e.g. “captions being corrected by our vendor; live "
                "CART provided”."
            )
            % {"count": REASON_MIN}
        )
    if len(reason) > REASON_MAX:
        raise CaptionExceptionError(
            gettext("Keep the reason under %(count)s characters.") % {"count": REASON_MAX}
        )
    return reason


@transaction.atomic
def grant_caption_exception(*, training, recording_id: int, reason: str, by) -> CaptionException:
    """Let ``training`` be published although the recording (one of its own, without
    person-checked captions) has none. Granting twice (a double submit) keeps the first."""
    reason = clean_reason(reason)
    # One grant at a time per training: the second of two posts finds the first's row.
    training = TrainingPage.objects.select_for_update().get(pk=training.pk)
    gaps = {gap.recording.pk: gap for gap in training_caption_gaps(training=training)}
    gap = gaps.get(recording_id)
    if gap is None:
        raise CaptionExceptionError(
            gettext(
                "That recording is not one of this training's recordings without reviewed "
                "captions: nothing was recorded."
            )
        )
    if gap.exception is not None:
        return gap.exception
    try:
        with transaction.atomic():
            exception = CaptionException.objects.create(
                training=training,
                recording=gap.recording,
                reason=reason,
                granted_by=by,
                granted_at=timezone.now(),
            )
    except IntegrityError:
        return CaptionException.objects.get(
            training=training, recording=gap.recording, revoked_at__isnull=True
        )
    record_event(
        action=AuditAction.CAPTION_EXCEPTION_GRANTED,
        organization=association_for_page(page=training),
        target=training,
        target_repr=training.title,
        details={
            "recording_id": gap.recording.pk,
            "recording": gap.recording.title,
            "captions": gap.kind,
            "reason": reason,
            "exception_id": exception.pk,
        },
        actor=by,
    )
    return exception


@transaction.atomic
def revoke_caption_exception(*, training, exception_id: int, by) -> CaptionException:
    """End a standing exception of ``training``; the row stays, marked revoked. Revoking
    one already revoked changes nothing."""
    exception = (
        CaptionException.objects.select_for_update()
        .select_related("recording")
        .filter(pk=exception_id, training_id=training.pk)
        .first()
    )
    if exception is None:
        raise CaptionExceptionError(gettext("This training has no such exception."))
    if exception.revoked_at is not None:
        return exception
    exception.revoked_at = timezone.now()
    exception.revoked_by = by
    exception.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        action=AuditAction.CAPTION_EXCEPTION_REVOKED,
        organization=association_for_page(page=training),
        target=training,
        target_repr=training.title,
        details={
            "recording_id": exception.recording_id,
            "recording": exception.recording.title,
            "reason": exception.reason,
            "exception_id": exception.pk,
        },
        actor=by,
    )
    return exception
