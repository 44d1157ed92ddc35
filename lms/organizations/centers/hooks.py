"""What center pages need from the apps above organizations, named by dotted path.

``ATTUNE_CENTER_HOOKS`` maps each name below to a function; the values exchanged are the
plain dataclasses defined here, so that neither side imports the other's models:

``enroll_on_seat(*, learner, training_id, seat_ref)``
    Enroll ``learner`` in the training on a center seat; raise ``SeatRefused`` with a reason
    when the training cannot take them. Called inside the seat's transaction.
``withdraw_from_seat(*, learner, training_id, seat_ref) -> bool``
    Cancel the seat's enrollment; False when the learner has already completed the training
    (the seat was used and stays assigned).
``training_facts(*, training_ids) -> dict[int, TrainingFacts]``
``training_progress(*, learner_ids, training_ids) -> dict[(learner_id, training_id), Progress]``
    One query each, whatever the number of learners and trainings.
``staff_standing(*, portfolio: dict[int, Target], record_ids, on) -> StandingReport``
    Hours per competency area of the records named (for everyone) and of the whole
    portfolio, readiness and renewal of the learners in ``portfolio`` (those who consent).
``module_library_use(*, organization) -> list[ModuleUse]``
    A faculty institute's library modules and where they are used.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

HOOK_NAMES = (
    "enroll_on_seat",
    "withdraw_from_seat",
    "training_facts",
    "training_progress",
    "staff_standing",
    "module_library_use",
)


class SeatRefused(Exception):
    """A seat cannot be given or taken back; the message says why, for the manager."""


@dataclass(frozen=True)
class TrainingFacts:
    title: str
    kind: str  # "Course", "Webinar", "Live event"
    url: str = ""
    contact_hours: Decimal | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    live: bool = True


class ProgressStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    WAITLISTED = "waitlisted"
    COMPLETED = "completed"

    LABELS = {
        NOT_STARTED: "Not started",
        IN_PROGRESS: "In progress",
        WAITLISTED: "On the waitlist",
        COMPLETED: "Completed",
    }


@dataclass(frozen=True)
class Progress:
    status: str
    percent: int | None = None  # share of a course's lessons done; None when not counted
    completed_on: datetime.date | None = None
    record_id: int | None = None

    @property
    def label(self) -> str:
        label = ProgressStatus.LABELS.get(self.status, self.status)
        if self.status == ProgressStatus.IN_PROGRESS and self.percent is not None:
            return f"{label} ({self.percent}%)"
        return label


NO_PROGRESS = Progress(ProgressStatus.NOT_STARTED)


@dataclass(frozen=True)
class Target:
    """The association and endorsement category a learner works toward (their profile)."""

    association_id: int | None
    category_id: int | None


@dataclass(frozen=True)
class Readiness:
    category_code: str
    category_name: str
    kind: str  # "initial" or "renewal"
    met: bool
    rules_met: int
    rules_total: int
    missing: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        if self.met:
            return "Renewal requirements met" if self.kind == "renewal" else "Ready to apply"
        return f"{self.rules_met} of {self.rules_total} requirements met"


@dataclass(frozen=True)
class Standing:
    hours_by_area: dict[str, Decimal] = field(default_factory=dict)
    readiness: Readiness | None = None
    renewal_due: datetime.date | None = None

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_area.values(), Decimal(0))


@dataclass(frozen=True)
class StandingReport:
    areas: tuple[tuple[str, str], ...]  # (code, name) in the framework's order
    by_learner: dict[int, Standing]


@dataclass(frozen=True)
class ModuleUse:
    module_title: str
    module_live: bool
    uses: tuple[tuple[str, str, str], ...]  # (course title, lesson title, association name)
    completions: int


@lru_cache(maxsize=16)
def _load(path: str):
    return import_string(path)


def hook(name: str):
    """The function configured for ``name``; a missing one is a configuration error, never a
    silent no-op (a seat must not be taken without its enrollment)."""
    path = getattr(settings, "ATTUNE_CENTER_HOOKS", {}).get(name)
    if not path:
        raise ImproperlyConfigured(f"ATTUNE_CENTER_HOOKS has no {name!r}.")
    return _load(path)
