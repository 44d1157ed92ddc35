"""Trainings that would fill the competency areas a learner is missing, as the portfolio
shows them. Endorsement has no catalog: the screen that has one (the portfolio page, in
``courses``) passes its suggester in. Suggestions are a help, never a reason for the
portfolio to fail: a suggester's errors are logged and malformed entries dropped."""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

logger = logging.getLogger(__name__)

SUGGESTION_LIMIT = 5

#: A catalog's suggester: keyword arguments in, dicts out (see ``suggested_trainings``).
Suggester = Callable[..., Iterable[Mapping]]


@dataclass(frozen=True)
class SuggestedTraining:
    title: str
    url: str
    hours_by_area: dict[str, Decimal] = field(default_factory=dict)
    provider: str = ""
    total_hours: Decimal | None = None

    def fills(self, area_codes: Iterable[str]) -> list[tuple[str, Decimal]]:
        return [(c, self.hours_by_area[c]) for c in area_codes if c in self.hours_by_area]


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
    except (InvalidOperation, AttributeError, TypeError, ValueError):
        return None
    return SuggestedTraining(
        title=title,
        url=url,
        hours_by_area=by_area,
        provider=str(raw.get("provider") or ""),
        total_hours=total,
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
    with ``title``, ``url``, ``hours_by_area`` ({code: hours}), optionally ``provider`` and
    ``total_hours``. None, or an empty ``area_codes``, suggests nothing."""
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
