"""Renewal cycles: the cycle containing a day, the one a due date closes, and when an
endorsement falls due."""

import datetime
from dataclasses import dataclass

from .rule_sets import Window, WindowKind


@dataclass(frozen=True)
class Cycle:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(1)).day
    return datetime.date(year, month, min(day.day, last))


def full_years_between(start: datetime.date, end: datetime.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def _due_date(window: Window, end: datetime.date) -> datetime.date:
    """The due day nearest the cycle's last day: a 31 January deadline is the January after
    a calendar year, a 15 December deadline falls inside it."""
    if not window.due_month or not window.due_day:
        return end
    candidates = []
    for year in (end.year - 1, end.year, end.year + 1):
        try:
            candidates.append(datetime.date(year, window.due_month, window.due_day))
        except ValueError:  # 29 February in a common year
            candidates.append(datetime.date(year, window.due_month, 28))
    return min(candidates, key=lambda d: (abs((d - end).days), d))


def first_renewal_due(window: Window, endorsed_on: datetime.date) -> datetime.date:
    """When a new endorsement first falls due for renewal: the due date of the first full
    cycle starting on or after the endorsement (an endorsement granted in June of a
    calendar-year cycle renews at the end of the next year; an anniversary cycle's first
    cycle starts on the day itself). Without a cycle, ``cycle_years`` after the day."""
    years = max(1, window.cycle_years)
    if window.kind == WindowKind.ANNIVERSARY:
        return cycle_containing(window, endorsed_on, endorsed_on=endorsed_on).due_on
    if window.kind == WindowKind.CALENDAR:
        cycle = cycle_containing(window, endorsed_on, endorsed_on=endorsed_on)
        if cycle.start != endorsed_on:
            after = cycle.end + datetime.timedelta(days=1)
            cycle = cycle_containing(window, after, endorsed_on=endorsed_on)
        return cycle.due_on
    return add_years(endorsed_on, years)


def next_renewal_due(
    window: Window, due_on: datetime.date, *, endorsed_on: datetime.date
) -> datetime.date:
    """The due date one cycle after ``due_on``: where a renewal approved for the cycle
    due on ``due_on`` leaves the endorsement."""
    years = max(1, window.cycle_years)
    if window.kind == WindowKind.NONE:
        return add_years(due_on, years)
    return _due_date(window, add_years(due_on, years))


def renewal_cycle(
    window: Window, due_on: datetime.date, *, endorsed_on: datetime.date | None
) -> Cycle | None:
    """The cycle whose renewal falls due on ``due_on`` (a 31 January deadline belongs to the
    calendar year before it), or None when the rules have no cycle or none ends near it."""
    for day in (due_on, add_months(due_on, -6), add_years(due_on, -1) + datetime.timedelta(1)):
        cycle = cycle_containing(window, day, endorsed_on=endorsed_on)
        if cycle is not None and cycle.due_on == due_on:
            return cycle
    return None


def cycle_containing(
    window: Window, on: datetime.date, *, endorsed_on: datetime.date | None
) -> Cycle | None:
    """The renewal cycle that contains ``on``, or None when the rules have no cycle (or
    an anniversary cycle whose endorsement date is not known)."""
    years = max(1, window.cycle_years)
    if window.kind == WindowKind.CALENDAR:
        # Multi-year calendar cycles start in the year of endorsement (or this year).
        anchor = endorsed_on.year if endorsed_on else on.year
        start_year = on.year - ((on.year - anchor) % years)
        end = datetime.date(start_year + years - 1, 12, 31)
        return Cycle(datetime.date(start_year, 1, 1), end, _due_date(window, end))
    if window.kind == WindowKind.ANNIVERSARY:
        if endorsed_on is None:
            return None
        k = max(0, full_years_between(endorsed_on, on) // years)
        start = add_years(endorsed_on, k * years)
        end = add_years(endorsed_on, (k + 1) * years) - datetime.timedelta(days=1)
        return Cycle(start, end, _due_date(window, end))
    return None
