"""What the rules read about a learner beyond the rule set: their valid records as
``RecordFact`` values, the competency areas to report on, checklist ticks and their standing.

What counts where:

* Training hours are every record that is not an RSC session. DEI hours and area hours are
  subsets of them; "about providing RSC" hours are any record flagged as being about RSC.
* RSC hours are RSC sessions. A session the supervisor declined does not count; one awaiting
  co-signature counts as self-reported and is listed as unverified by ``readiness``.
* Records of every verification tier count; results show the hours per tier.
* A record marked for the other age band only (early-childhood training for an infant
  category, or the reverse) does not count; records for both bands or no band do.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)

# Verification tiers as the records app names them, strongest first.
TIERS = ("platform_verified", "attendance_verified", "provider_attested", "self_reported")
SELF_REPORTED = "self_reported"
AGE_BANDS_FOR_ANY = frozenset({"", "both"})


@dataclass(frozen=True)
class RecordFact:
    """One valid record as the rules see it (amended values, never a revoked record)."""

    record_id: int
    completed_on: datetime.date
    hours: Decimal
    tier: str
    title: str = ""
    is_rsc: bool = False
    rsc_pending: bool = False
    rsc_declined: bool = False
    dei: bool = False
    rsc_topic: bool = False
    age_band: str = ""
    area_hours: tuple[tuple[str, Decimal], ...] = ()
    has_evidence: bool = False

    def hours_in_area(self, code: str) -> Decimal:
        return sum((hours for area, hours in self.area_hours if area == code), ZERO)

    @property
    def is_unverified(self) -> bool:
        return self.tier == SELF_REPORTED and not self.has_evidence


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    order: int = 0


@dataclass(frozen=True)
class TickFact:
    item: str
    completed_on: datetime.date
    has_evidence: bool = False
    tick_id: int | None = None


@dataclass(frozen=True)
class Standing:
    """What the rules need to know about the learner beyond their records."""

    endorsed_on: datetime.date | None = None
    provides_rsc: bool = False
    ticks: tuple[TickFact, ...] = ()


def fits_age_band(record_band: str, category_band: str) -> bool:
    return not category_band or record_band in AGE_BANDS_FOR_ANY or record_band == category_band
