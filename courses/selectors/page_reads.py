"""What one request has read for the page it serves, so that the page's template tags (the
learner's panel, each recording's player) and the playback check read each thing once.

Kept on the request object: nothing outlives the request, and rendering reads only, so
nothing read here goes stale while the page is drawn."""

from wagtail.models import Page

from ..models import EnrollmentStatus
from .learning import LearnerTraining, enrollment_for
from .translations import canonical_page

_ATTR = "_attune_page_reads"
WATCHING = (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED)


class PageReads:
    def __init__(self):
        # Pages this request serves (published, not previews), by id, as the template sees them.
        self.served: dict[int, Page] = {}
        self._learning: dict[tuple[int, int], LearnerTraining] = {}

    def serving(self, page) -> None:
        self.served[page.pk] = page

    def learning(self, *, learner, training) -> LearnerTraining:
        """The learner's enrollment in ``training`` (read once) and what hangs off it; for a
        translation or alias, in the training it presents (the canonical page)."""
        training = canonical_page(training)
        key = (getattr(learner, "pk", None), training.pk)
        if key not in self._learning:
            enrollment = enrollment_for(learner=learner, training=training)
            if enrollment is not None:
                # The row was read for these two: spare reading them again through it.
                enrollment.learner = learner
                enrollment.training = training.specific
            self._learning[key] = LearnerTraining(
                learner=learner, training=training, enrollment=enrollment
            )
        return self._learning[key]

    def watching(self, *, learner, training_ids) -> tuple[bool, set[int]]:
        """Whether an enrollment already read lets ``learner`` watch in one of these
        trainings, and the trainings whose enrollment has not been read."""
        unread = set()
        for training_id in training_ids:
            learning = self._learning.get((getattr(learner, "pk", None), training_id))
            if learning is None:
                unread.add(training_id)
            elif learning.enrollment is not None and learning.enrollment.status in WATCHING:
                return True, set()
        return False, unread


def page_reads(request) -> PageReads:
    """The request's reads (a fresh, unshared set without a request)."""
    if request is None:
        return PageReads()
    reads = getattr(request, _ATTR, None)
    if reads is None:
        reads = PageReads()
        setattr(request, _ATTR, reads)
    return reads
