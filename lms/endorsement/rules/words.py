"""What a rule or a competency area still lacks, in sentences."""

from decimal import Decimal

from .evaluation import AreaProgress, Evaluation, RuleResult
from .rule_sets import RuleKind


def format_hours(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"
    return text


def hours_in_words(value: Decimal) -> str:
    text = format_hours(value)
    return f"{text} hour" if text == "1" else f"{text} hours"


def describe_gap(result: RuleResult) -> str:
    """What is missing for one rule, in a sentence, or "" when it is met."""
    if result.met:
        return ""
    rule = result.rule
    if rule.kind == RuleKind.CHECKLIST:
        return f"{rule.label}: not ticked yet" + (
            " in this cycle." if result.start is not None else "."
        )
    need = hours_in_words(result.gap)
    what = {
        RuleKind.TRAINING_HOURS: "of training",
        RuleKind.AREA_HOURS: f"of training in {rule.area_name or rule.area_code}",
        RuleKind.RSC_HOURS: "of reflective supervision/consultation",
        RuleKind.RSC_TOPIC_HOURS: "of training about providing RSC",
        RuleKind.DEI_HOURS: "of DEI training",
    }[rule.kind]
    when = ""
    if rule.lookback_months:
        when = f" within the last {rule.lookback_months} months"
    elif result.start is not None:
        when = " in this cycle"
    return (
        f"{need} more {what}{when} ({format_hours(result.achieved)} of "
        f"{format_hours(result.required)} so far)."
    )


def describe_area(progress: AreaProgress) -> str:
    if progress.gap > 0:
        return (
            f"{hours_in_words(progress.gap)} more in {progress.area.name} "
            f"({format_hours(progress.hours)} of {format_hours(progress.required)})."
        )
    if not progress.covered:
        return f"No training yet in {progress.area.name}."
    return ""


def missing_in_words(evaluation: Evaluation) -> list[str]:
    """Every unmet rule, then every area short of hours that no unmet rule already names."""
    lines = [describe_gap(r) for r in evaluation.unmet]
    named = {r.rule.area_code for r in evaluation.unmet if r.rule.kind == RuleKind.AREA_HOURS}
    short = [a for a in evaluation.areas if a.gap > 0 and a.area.code not in named]
    lines += [describe_area(a) for a in (*short, *evaluation.uncovered_areas)]
    return lines
