"""An evaluation as plain JSON (hours as decimal strings), frozen on a submitted application."""

import datetime
from decimal import Decimal

from .evaluation import Evaluation
from .words import describe_gap, missing_in_words


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _hours_json(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01'))}"


def evaluation_as_json(evaluation: Evaluation) -> dict:
    """The evaluation as plain JSON (hours as decimal strings), for a submitted application's
    snapshot: what the rules said on the day, whatever happens to the rules or records later."""
    rule_set = evaluation.rule_set
    cycle = evaluation.cycle
    return {
        "on": evaluation.on.isoformat(),
        "met": evaluation.met,
        "rule_set": {
            "id": rule_set.set_id,
            "kind": str(rule_set.kind),
            "version": rule_set.version,
            "category": rule_set.category_code,
            "effective_from": _iso(rule_set.effective_from),
            "effective_to": _iso(rule_set.effective_to),
        },
        "cycle": (
            {"start": _iso(cycle.start), "end": _iso(cycle.end), "due_on": _iso(cycle.due_on)}
            if cycle
            else None
        ),
        "results": [
            {
                "rule_id": r.rule.rule_id,
                "kind": str(r.rule.kind),
                "label": r.rule.label,
                "area": r.rule.area_code,
                "checklist_item": r.rule.checklist_item,
                "required": _hours_json(r.required),
                "achieved": _hours_json(r.achieved),
                "met": r.met,
                "open_at_submission": r.rule.open_at_submission,
                "start": _iso(r.start),
                "end": _iso(r.end),
                "record_ids": list(r.record_ids),
                "hours_by_tier": {tier: _hours_json(h) for tier, h in r.hours_by_tier.items()},
                "gap_text": describe_gap(r),
            }
            for r in evaluation.results
        ],
        "areas": [
            {
                "code": a.area.code,
                "name": a.area.name,
                "hours": _hours_json(a.hours),
                "required": _hours_json(a.required),
            }
            for a in evaluation.areas
        ],
        "not_applicable": [rule.label for rule in evaluation.not_applicable],
        "missing": missing_in_words(evaluation),
    }
