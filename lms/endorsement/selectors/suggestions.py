"""Trainings that would fill the competency areas a learner is missing, as the portfolio
shows them, ranked by how many of the missing hours each closes before the learner's deadline
(the renewal due date once endorsed). Endorsement has no catalog: the screen that has one (the
portfolio page, in ``courses``) passes its suggester in. Suggestions are a help, never a
reason for the portfolio to fail: a suggester's errors are logged and malformed entries
dropped."""

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

logger = logging.getLogger(__name__)

SUGGESTION_LIMIT = 5
# Candidates asked of the catalog per suggestion shown: the catalog orders by raw hours in the
# missing areas, the portfolio re-ranks by the hours that actually close a gap.
CANDIDATES_PER_SUGGESTION = 4
ZERO = Decimal(0)

#: A catalog's suggester: keyword arguments in, dicts out (see ``suggested_trainings``).
Suggester = Callable[..., Iterable[Mapping]]


@dataclass(frozen=True)
class SuggestedTraining:
    title: str
    url: str
    hours_by_area: dict[str, Decimal] = field(default_factory=dict)
    provider: str = ""
    total_hours: Decimal | None = None
    #: The first day it can be taken (a live event's date); None: at any time (on demand).
    starts_on: datetime.date | None = None
    #: Missing hours it closes before the deadline (set by ``rank_by_gaps_closed``).
    closes_hours: Decimal = ZERO

    def fills(self, area_codes: Iterable[str]) -> list[tuple[str, Decimal]]:
        return [(c, self.hours_by_area[c]) for c in area_codes if c in self.hours_by_area]

    def hours_closed(
        self, gaps: Mapping[str, Decimal], *, deadline: datetime.date | None = None
    ) -> Decimal:
        """The missing hours this training closes: in each area, its hours up to what the area
        still lacks (an area with no minimum that has no training yet lacks whatever it gets).
        Nothing if it only starts after ``deadline``."""
        if deadline is not None and self.starts_on is not None and self.starts_on > deadline:
            return ZERO
        closed = ZERO
        for code, gap in gaps.items():
            hours = self.hours_by_area.get(code, ZERO)
            closed += hours if gap is None else min(hours, gap)
        return closed


def rank_by_gaps_closed(
    suggestions: Iterable[SuggestedTraining],
    *,
    gaps: Mapping[str, Decimal | None],
    deadline: datetime.date | None = None,
    limit: int = SUGGESTION_LIMIT,
) -> list[SuggestedTraining]:
    """``suggestions`` with the hours each closes before ``deadline``, most first; ties keep
    the catalog's order (its own association's trainings first). Trainings that close
    nothing before the deadline are dropped."""
    scored = [replace(s, closes_hours=s.hours_closed(gaps, deadline=deadline)) for s in suggestions]
    ranked = sorted(
        (s for s in scored if s.closes_hours > 0), key=lambda s: s.closes_hours, reverse=True
    )
    return ranked[:limit]


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _coerce_suggestion(raw) -> SuggestedTraining | None:
    if not isinstance(raw, Mapping):
        return None
    title, url = str(raw.get("title") or "").strip(), str(raw.get("url") or "").strip()
    if not title or not (url.startswith(("http://", "https://", "/"))):
        return None
    try:
        by_area = {
            str(code): Decimal(str(hours))
            for code, hours in (raw.get("hours_by_area") or {}).items()
        }
        total = raw.get("total_hours")
        total = Decimal(str(total)) if total not in (None, "") else None
        starts_on = _date(raw.get("starts_on"))
    except (InvalidOperation, AttributeError, TypeError, ValueError):
        return None
    return SuggestedTraining(
        title=title,
        url=url,
        hours_by_area=by_area,
        provider=str(raw.get("provider") or ""),
        total_hours=total,
        starts_on=starts_on,
    )


def suggested_trainings(
    *,
    suggester: Suggester | None,
    area_codes: Iterable[str],
    category=None,
    association=None,
    limit: int = SUGGESTION_LIMIT,
) -> list[SuggestedTraining]:
    """Trainings that cover ``area_codes``, from ``suggester``. It is called with keyword
    arguments ``area_codes`` (list of str), ``category`` (an ``EndorsementCategory`` or None),
    ``association`` (an association ``Organization`` or None) and ``limit``, and returns dicts
    with ``title``, ``url``, ``hours_by_area`` ({code: hours}), optionally ``provider``,
    ``total_hours`` and ``starts_on`` (an ISO date: the first day it can be taken). None, or
    an empty ``area_codes``, suggests nothing."""
    codes = [str(c) for c in area_codes]
    if suggester is None or not codes or limit <= 0:
        return []
    try:
        raw = suggester(area_codes=codes, category=category, association=association, limit=limit)
        suggestions = [s for s in map(_coerce_suggestion, raw or []) if s is not None]
    except Exception:
        name = getattr(suggester, "__qualname__", repr(suggester))
        logger.exception("Training suggester %s failed for areas %s", name, codes)
        return []
    return suggestions[:limit]
