"""The rules as data: kinds of rules, checklist items, who a rule applies to, kinds of rule
sets and renewal cycles, each with its label; ``Rule``, ``Window`` and ``RuleSet``."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .i18n import gettext, gettext_noop


class RuleKind(StrEnum):
    TRAINING_HOURS = "training_hours"
    AREA_HOURS = "area_hours"
    RSC_HOURS = "rsc_hours"
    RSC_TOPIC_HOURS = "rsc_topic_hours"
    DEI_HOURS = "dei_hours"
    CHECKLIST = "checklist"


RULE_KIND_LABELS = {
    RuleKind.TRAINING_HOURS: gettext_noop("Training hours"),
    RuleKind.AREA_HOURS: gettext_noop("Training hours in a competency area"),
    RuleKind.RSC_HOURS: gettext_noop("Reflective supervision/consultation (RSC) hours received"),
    RuleKind.RSC_TOPIC_HOURS: gettext_noop("Training hours about providing RSC"),
    RuleKind.DEI_HOURS: gettext_noop("Diversity, equity and inclusion (DEI) training hours"),
    RuleKind.CHECKLIST: gettext_noop("Checklist item"),
}
HOUR_KINDS = frozenset(RuleKind) - {RuleKind.CHECKLIST}


class ChecklistItem(StrEnum):
    EDUCATION = "education"
    WORK_EXPERIENCE = "work_experience"
    REFERENCES = "references"
    EXAM = "exam"
    MEMBERSHIP = "membership"
    CODE_OF_ETHICS = "code_of_ethics"


CHECKLIST_LABELS = {
    ChecklistItem.EDUCATION: gettext_noop("Education"),
    ChecklistItem.WORK_EXPERIENCE: gettext_noop("Work experience"),
    ChecklistItem.REFERENCES: gettext_noop("Reference ratings"),
    ChecklistItem.EXAM: gettext_noop("Endorsement exam"),
    ChecklistItem.MEMBERSHIP: gettext_noop("Association membership"),
    ChecklistItem.CODE_OF_ETHICS: gettext_noop("Code of Ethics signed"),
}


class AppliesTo(StrEnum):
    EVERYONE = "everyone"
    RSC_PROVIDERS = "rsc_providers"
    ENDORSED_UNDER = "endorsed_under"
    ENDORSED_AT_LEAST = "endorsed_at_least"


APPLIES_TO_LABELS = {
    AppliesTo.EVERYONE: gettext_noop("Everyone"),
    AppliesTo.RSC_PROVIDERS: gettext_noop("Only those who provide RSC"),
    AppliesTo.ENDORSED_UNDER: gettext_noop("Endorsed for fewer than N years (or date not known)"),
    AppliesTo.ENDORSED_AT_LEAST: gettext_noop("Endorsed for N years or more"),
}


class SetKind(StrEnum):
    INITIAL = "initial"
    RENEWAL = "renewal"


SET_KIND_LABELS = {
    SetKind.INITIAL: gettext_noop("Initial application"),
    SetKind.RENEWAL: gettext_noop("Renewal"),
}


class WindowKind(StrEnum):
    NONE = "none"
    CALENDAR = "calendar"
    ANNIVERSARY = "anniversary"


WINDOW_KIND_LABELS = {
    WindowKind.NONE: gettext_noop("No cycle: everything up to the date counts"),
    WindowKind.CALENDAR: gettext_noop("Calendar-year cycle"),
    WindowKind.ANNIVERSARY: gettext_noop("Cycle from the endorsement anniversary"),
}


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    min_hours: Decimal | None = None
    area_code: str = ""
    area_name: str = ""
    checklist_item: str = ""
    applies_to: AppliesTo = AppliesTo.EVERYONE
    condition_years: int | None = None
    lookback_months: int | None = None
    note: str = ""
    rule_id: int | None = None
    open_at_submission: bool = False

    @property
    def label(self) -> str:
        """The rule's name in the active language (a plain string: snapshots store it). The
        label dictionaries above hold English, translated here and where they are shown."""
        if self.kind == RuleKind.AREA_HOURS:
            return gettext("Training hours in %(area)s") % {
                "area": self.area_name or self.area_code
            }
        if self.kind == RuleKind.CHECKLIST:
            return gettext(CHECKLIST_LABELS.get(self.checklist_item, self.checklist_item))
        return gettext(RULE_KIND_LABELS[self.kind])


@dataclass(frozen=True)
class Window:
    kind: WindowKind = WindowKind.NONE
    cycle_years: int = 1
    due_month: int | None = None
    due_day: int | None = None


@dataclass(frozen=True)
class RuleSet:
    kind: SetKind
    rules: tuple[Rule, ...]
    window: Window = field(default_factory=Window)
    category_code: str = ""
    category_age_band: str = ""
    version: str = ""
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    expects_every_area: bool = False
    set_id: int | None = None
