"""The page models' side of the publish gate: ``publish`` on trainings and lessons asks
``courses.selectors.publication`` (every way of publishing but the editor's button, whose
forms check, ends there)."""

import logging

from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)


def refused_publishing(revision, kwargs) -> bool:
    """Refuse publishing a version that ``publication_errors`` stops (a ValidationError).
    A scheduled go-live that is no longer allowed (captions removed since, say) is instead
    taken off the schedule and logged, so that the scheduler goes on with other pages and
    does not retry it every run; editors see the page still unpublished."""
    from ..selectors.publication import ensure_publishable

    try:
        ensure_publishable(page=revision.as_object())
    except ValidationError as error:
        if kwargs.get("log_action") != "wagtail.publish.scheduled":
            raise
        type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=None)
        logger.warning(
            "Scheduled publishing of page %s refused: %s", revision.object_id, error.messages
        )
        return True
    return False
