"""The dashboard's summary, read from the rows already built: no query of its own.

Everything here counts only what each row may show (``centers.dashboard`` builds the rows as
consent allows): readiness and portfolio hours exist only for people who share their
portfolio with the center, so the figures and charts never carry anyone else's standing.

*On track* is what the readiness evaluation already answers: every requirement of the rule
set in effect is met today. For a person who does not yet hold their target category that
set is the category's initial requirements ("ready to apply"); for one who holds it, its
renewal requirements.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

RENEWAL = "renewal"

# The readiness distribution, in the order the chart shows it.
ALL_MET = "all_met"
HALF_MET = "half_met"
FEW_MET = "few_met"
NO_REQUIREMENTS = "no_requirements"
NOT_SHARED = "not_shared"
READINESS_BANDS = {
    ALL_MET: _("Every requirement met"),
    HALF_MET: _("Half or more met"),
    FEW_MET: _("Fewer than half met"),
    NO_REQUIREMENTS: _("Shares, no requirements for a target"),
    NOT_SHARED: _("Does not share a portfolio"),
}


@dataclass(frozen=True)
class OnTrack:
    """``met`` of ``total`` people measured against a rule set."""

    met: int
    total: int

    @property
    def percent(self) -> int:
        return self.met * 100 // self.total if self.total else 0


@dataclass(frozen=True)
class ChartPoint:
    key: str
    label: str
    value: Decimal | int


@dataclass(frozen=True)
class Summary:
    shown: int
    joined: int
    sharing: int
    target: OnTrack  # sharers working toward their target category's initial requirements
    renewal: OnTrack  # sharers who hold their target and are measured for renewal
    readiness: tuple[ChartPoint, ...]
    hours: tuple[ChartPoint, ...]  # portfolio hours per competency area, sharers only

    @property
    def hours_total(self) -> Decimal:
        return sum((p.value for p in self.hours), Decimal(0))

    def chart_data(self) -> dict:
        """The two charts as plain JSON for the page's script (``json_script``)."""
        return {
            "readiness": {
                "labels": [str(p.label) for p in self.readiness],
                "values": [p.value for p in self.readiness],
                "unit": str(_("people")),
            },
            "hours": {
                "labels": [str(p.label) for p in self.hours],
                "values": [float(p.value) for p in self.hours],
                "unit": str(_("hours")),
            },
        }


def readiness_band(row) -> str:
    if not row.shares_portfolio:
        return NOT_SHARED
    readiness = row.readiness
    if readiness is None or not readiness.rules_total:
        return NO_REQUIREMENTS
    if readiness.met:
        return ALL_MET
    return HALF_MET if readiness.rules_met * 2 >= readiness.rules_total else FEW_MET


def summarize(rows, areas) -> Summary:
    """The summary of ``rows`` (the people shown, as filtered) over the framework's
    ``areas`` (``(code, name)`` in order)."""
    sharing = [row for row in rows if row.shares_portfolio]
    measured = [row.readiness for row in sharing if row.readiness is not None]
    initial = [r for r in measured if r.kind != RENEWAL]
    renewal = [r for r in measured if r.kind == RENEWAL]
    bands = dict.fromkeys(READINESS_BANDS, 0)
    for row in rows:
        bands[readiness_band(row)] += 1
    hours = {code: Decimal(0) for code, _name in areas}
    for row in sharing:
        for code, value in row.hours_by_area.items():
            if code in hours:
                hours[code] += value
    return Summary(
        shown=len(rows),
        joined=sum(1 for row in rows if row.has_joined),
        sharing=len(sharing),
        target=OnTrack(sum(1 for r in initial if r.met), len(initial)),
        renewal=OnTrack(sum(1 for r in renewal if r.met), len(renewal)),
        readiness=tuple(
            ChartPoint(key, label, bands[key]) for key, label in READINESS_BANDS.items()
        ),
        hours=tuple(ChartPoint(code, name, hours[code]) for code, name in areas),
    )
