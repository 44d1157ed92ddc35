"""What deleting a page would take from learners: the enrollments of a training, and the
trainings, learners and issued records anywhere under a page of the site tree."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext
from wagtail.models import Page

from lms.records.models import TrainingRecord

from ..models import Enrollment, EnrollmentStatus, TrainingArchive, TrainingPage


def record_source_key(training_id: int) -> str:
    """The ``source_key`` of the records a training issues (``services.completion``)."""
    return f"attune:training:{training_id}"


@dataclass(frozen=True)
class TrainingLearners:
    """A training's enrollments by state; cancelled ones count only in ``enrollments``."""

    enrollments: int = 0
    in_progress: int = 0
    waitlisted: int = 0
    completed: int = 0
    records: int = 0

    @property
    def learners(self) -> int:
        return self.in_progress + self.waitlisted + self.completed

    @property
    def has_work(self) -> bool:
        return bool(self.enrollments or self.records)

    def describe(self) -> str:
        """e.g. "42 learners (40 in progress, 2 completed)"."""
        parts = []
        if self.in_progress:
            parts.append(gettext("%(n)d in progress") % {"n": self.in_progress})
        if self.waitlisted:
            parts.append(gettext("%(n)d on the waitlist") % {"n": self.waitlisted})
        if self.completed:
            parts.append(gettext("%(n)d completed") % {"n": self.completed})
        text = ngettext("%(n)d learner", "%(n)d learners", self.learners) % {"n": self.learners}
        return f"{text} ({', '.join(parts)})" if parts else text


def training_learners(*, training) -> TrainingLearners:
    counts = Enrollment.objects.filter(training_id=training.pk).aggregate(
        enrollments=Count("pk"),
        in_progress=Count("pk", filter=Q(status=EnrollmentStatus.ACTIVE)),
        waitlisted=Count("pk", filter=Q(status=EnrollmentStatus.WAITLISTED)),
        completed=Count("pk", filter=Q(status=EnrollmentStatus.COMPLETED)),
    )
    records = TrainingRecord.objects.filter(source_key=record_source_key(training.pk)).count()
    return TrainingLearners(records=records, **counts)


@dataclass(frozen=True)
class SubtreeWork:
    """Learners' work under a page: trainings that have any, their learners and records."""

    trainings: int = 0
    learners: int = 0
    records: int = 0

    def describe(self) -> str:
        """e.g. "12 trainings with 340 learners and 95 issued records"."""
        trainings = ngettext("%(n)d training", "%(n)d trainings", self.trainings) % {
            "n": self.trainings
        }
        learners = ngettext("%(n)d learner", "%(n)d learners", self.learners) % {"n": self.learners}
        records = ngettext("%(n)d issued record", "%(n)d issued records", self.records) % {
            "n": self.records
        }
        return gettext("%(trainings)s with %(learners)s and %(records)s") % {
            "trainings": trainings,
            "learners": learners,
            "records": records,
        }


def subtree_work(*, page) -> SubtreeWork:
    """Learners' work in ``page`` and everything below it, archived trainings included."""
    training_ids = list(
        TrainingPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
    )
    if not training_ids:
        return SubtreeWork()
    enrollments = Enrollment.objects.filter(training_id__in=training_ids)
    with_enrollments = set(enrollments.values_list("training_id", flat=True).distinct())
    keys = {record_source_key(pk): pk for pk in training_ids}
    record_rows = list(
        TrainingRecord.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
    )
    with_records = {keys[key] for key in record_rows}
    return SubtreeWork(
        trainings=len(with_enrollments | with_records),
        learners=enrollments.values("learner_id").distinct().count(),
        records=len(record_rows),
    )


def deletion_refusal(*, page) -> str | None:
    """Why ``page`` (not a training: those are archived instead) may not be deleted."""
    work = subtree_work(page=page)
    if not work.trainings:
        return None
    return gettext(
        "“%(title)s” cannot be deleted: it holds %(work)s. Learners keep their progress and "
        "records, so pages holding them are never deleted. Unpublish it instead to take it "
        "off the site."
    ) % {"title": page.get_admin_display_title(), "work": work.describe()}


def is_archived(*, training) -> bool:
    return TrainingArchive.objects.filter(training_id=training.pk).exists()


def archived_trainings(*, user):
    """The archive as ``user`` may see it: trainings under the sites where they edit pages."""
    archives = TrainingArchive.objects.select_related("training", "archived_by").annotate(
        learners=Count("training__enrollments__learner", distinct=True)
    )
    if user.is_superuser:
        return archives
    roots = Page.objects.filter(
        group_permissions__group__user=user,
        group_permissions__permission__codename__in=("change_page", "publish_page"),
    ).values_list("path", flat=True)
    scope = Q(pk__in=[])
    for path in set(roots):
        scope |= Q(training__path__startswith=path)
    return archives.filter(scope)
