"""What the learner screens look up first: a published training, where to send the
learner back to, and their enrollment (or a refusal)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from ..models import EnrollmentStatus, TrainingPage
from ..selectors.learning import enrollment_for
from ..selectors.translations import canonical_page


def presented_training(training_id) -> tuple[TrainingPage, TrainingPage]:
    """THE training (canonical, as its own page type) and the published page the learner
    used, which may be one of its translations or aliases."""
    page = get_object_or_404(TrainingPage.objects.live(), pk=training_id).specific
    return canonical_page(page), page


def published_training(training_id) -> TrainingPage:
    """A published training, as its own page type: THE training when the id is one of its
    translations or aliases (a learner's work keys on the canonical page)."""
    return presented_training(training_id)[0]


def return_url(training) -> str:
    return training.url or reverse("learning:mine")


def enrollment_or_403(request, training, *, statuses=(EnrollmentStatus.ACTIVE,)):
    enrollment = enrollment_for(learner=request.user, training=training)
    if enrollment is None or enrollment.status not in statuses:
        raise PermissionDenied(gettext("Enroll in this training first."))
    return enrollment
