"""Archiving a training instead of deleting it, and restoring it: learners keep their work.

A training with enrollments (or issued records) is never hard-deleted: archiving unpublishes
it and its lessons, refuses publishing it again, and marks its enrollments archived, so that
My learning lists them as no longer offered with their progress and records intact.
Restoring undoes exactly that. Both are audited.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, Revision

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from ..models import Enrollment, TrainingArchive, TrainingPage
from ..selectors.archive import is_archived, training_learners
from ..selectors.ownership import association_for_page


class ArchiveError(Exception):
    """The archive or restore asked for cannot happen; the message says why."""


def _locked(training) -> TrainingPage:
    return TrainingPage.objects.select_for_update().get(pk=training.pk)


@transaction.atomic
def archive_training(*, training, by, reason: str = "") -> TrainingArchive:
    """Take ``training`` out of the catalog and mark its enrollments archived."""
    training = _locked(training)
    if is_archived(training=training):
        raise ArchiveError(gettext("This training is already archived."))
    counts = training_learners(training=training)
    pages = Page.objects.filter(path__startswith=training.path, live=True)
    live_revisions = {
        str(pk): revision_id
        for pk, revision_id in pages.values_list("pk", "live_revision_id")
        if revision_id
    }
    now = timezone.now()
    archive = TrainingArchive.objects.create(
        training=training,
        archived_at=now,
        archived_by=by,
        reason=reason[:255],
        live_revisions=live_revisions,
        title=training.title,
    )
    if training.live:
        UnpublishPageAction(training.specific, user=by, include_descendants=True).execute(
            skip_permission_checks=True
        )
    else:
        for page in pages.specific():
            UnpublishPageAction(page, user=by).execute(skip_permission_checks=True)
    archived = Enrollment.objects.filter(training_id=training.pk, archived_at__isnull=True).update(
        archived_at=now, archived_reason=reason[:255], archived_by=by
    )
    record_event(
        action=AuditAction.TRAINING_ARCHIVED,
        organization=association_for_page(page=training),
        target=training,
        target_repr=training.title,
        details={
            "enrollments": archived,
            "in_progress": counts.in_progress,
            "completed": counts.completed,
            "waitlisted": counts.waitlisted,
            "records": counts.records,
            "reason": reason,
        },
        actor=by,
    )
    return archive


@transaction.atomic
def restore_training(*, training, by) -> list[str]:
    """Bring an archived training back: its enrollments, and the pages that were live, as
    they were. Returns the reasons the training could not be published again, if any (it
    is then restored as a draft for its editors to complete)."""
    training = _locked(training)
    archive = TrainingArchive.objects.filter(training_id=training.pk).first()
    if archive is None:
        raise ArchiveError(gettext("This training is not in the archive."))
    archive.delete()
    restored = Enrollment.objects.filter(training_id=training.pk, archived_at__isnull=False).update(
        archived_at=None, archived_reason="", archived_by=None
    )
    problems: list[str] = []
    revisions = Revision.objects.filter(
        pk__in=list(archive.live_revisions.values())
    ).select_related("content_type")
    # The training first, then its lessons (a lesson under a draft would not be served).
    for revision in sorted(revisions, key=lambda r: int(r.object_id) != training.pk):
        try:
            with transaction.atomic():
                revision.publish(user=by, skip_permission_checks=True)
        except ValidationError as error:
            problems.extend(error.messages)
    record_event(
        action=AuditAction.TRAINING_RESTORED,
        organization=association_for_page(page=training),
        target=training,
        target_repr=training.title,
        details={
            "enrollments": restored,
            "republished": not problems and bool(revisions),
            "archived_at": archive.archived_at,
            "problems": problems,
        },
        actor=by,
    )
    return problems
