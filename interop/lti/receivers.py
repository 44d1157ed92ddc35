"""Listeners: a record issued to a learner who came through LTI owes the platform's grade
book a score. Queueing is a few rows written in the record's transaction; the platform is
called by a task after it commits. A failure here is logged and never undoes the record."""

import logging

from django.db import transaction
from django.db.models.signals import post_save

from lms.records.signals import record_issued

from .models import PlacementLaunch
from .services import grades
from .tasks import send_after_commit

logger = logging.getLogger(__name__)


def on_record_issued(sender, record, **kwargs):
    try:
        with transaction.atomic():
            send_after_commit(grades.queue_completion(record=record))
    except Exception:
        logger.exception("Could not queue LTI grades for record %s", record.pk)


record_issued.connect(on_record_issued, dispatch_uid="interop_lti_grades_on_record_issued")


def on_first_launch(sender, instance, created, raw=False, **kwargs):
    """A learner's first launch of a graded placement: the grade book shows them started
    (or their score, when they finished the training in Attune before)."""
    if not created or raw:
        return
    try:
        with transaction.atomic():
            owed = grades.queue_for_new_launch(launch=instance)
            send_after_commit([owed] if owed else [])
    except Exception:
        logger.exception("Could not queue LTI progress for launch %s", instance.pk)


post_save.connect(
    on_first_launch, sender=PlacementLaunch, dispatch_uid="interop_lti_progress_on_first_launch"
)
