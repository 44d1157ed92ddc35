"""The plain values center pages read: a training's facts, a person's progress in it, their
portfolio standing and readiness, a library module's use, and the refusal of a seat.

``centers.progress`` and ``centers.readiness`` compute them from courses and endorsement;
the dashboard, views and export only ever see these.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        WAITLISTED: _("On the waitlist"),
        COMPLETED: _("Completed"),
    }


@dataclass(frozen=True)
class Progress:
    status: str
    percent: int | None = None  # share of a course's lessons done; None when not counted
    completed_on: datetime.date | None = None
    record_id: int | None = None

    @property
    def label(self) -> str:
        label = str(ProgressStatus.LABELS.get(self.status, self.status))
        if self.status == ProgressStatus.IN_PROGRESS and self.percent is not None:
            # Translators: a status and the share of lessons done, e.g. "In progress (40%)".
            return gettext("%(status)s (%(percent)s%%)") % {
                "status": label,
                "percent": self.percent,
            }
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
            if self.kind == "renewal":
                return gettext("Renewal requirements met")
            return gettext("Ready to apply")
        # Translators: e.g. "2 of 5 requirements met" (of an endorsement category).
        return gettext("%(met)s of %(total)s requirements met") % {
            "met": self.rules_met,
            "total": self.rules_total,
        }


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
