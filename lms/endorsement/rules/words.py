"""What a rule or a competency area still lacks, in sentences."""

from decimal import Decimal

from .evaluation import AreaProgress, Evaluation, RuleResult
from .i18n import gettext as _
from .i18n import ngettext
from .rule_sets import RuleKind


def format_hours(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"
    return text


def hours_in_words(value: Decimal) -> str:
    text = format_hours(value)
    # Plural form chosen by the whole number of hours (1.5 hours is plural in English).
    count = int(Decimal(text)) if Decimal(text) == Decimal(text).to_integral() else 2
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": text}


def describe_gap(result: RuleResult) -> str:
    """What is missing for one rule, in a sentence, or "" when it is met."""
    if result.met:
        return ""
    rule = result.rule
    if rule.kind == RuleKind.CHECKLIST:
        if result.start is not None:
            return _("%(rule)s: not ticked yet in this cycle.") % {"rule": rule.label}
        return _("%(rule)s: not ticked yet.") % {"rule": rule.label}
    values = {
        "need": hours_in_words(result.gap),
        "area": rule.area_name or rule.area_code,
        "achieved": format_hours(result.achieved),
        "required": format_hours(result.required),
        "months": rule.lookback_months,
    }
    # One sentence per kind of rule and time span, so each reads whole in every language.
    if rule.lookback_months:
        sentences = {
            RuleKind.TRAINING_HOURS: _(
                "%(need)s more of training within the last %(months)s months "
                "(%(achieved)s of %(required)s so far)."
            ),
            RuleKind.AREA_HOURS: _(
                "%(need)s more of training in %(area)s within the last %(months)s months "
                "(%(achieved)s of %(required)s so far)."
            ),
            RuleKind.RSC_HOURS: _(
                "%(need)s more of reflective supervision/consultation within the last "
                "%(months)s months (%(achieved)s of %(required)s so far)."
            ),
            RuleKind.RSC_TOPIC_HOURS: _(
                "%(need)s more of training about providing RSC within the last %(months)s "
                "months (%(achieved)s of %(required)s so far)."
            ),
            RuleKind.DEI_HOURS: _(
                "%(need)s more of DEI training within the last %(months)s months "
                "(%(achieved)s of %(required)s so far)."
            ),
        }
    elif result.start is not None:
        sentences = {
            RuleKind.TRAINING_HOURS: _(
                "%(need)s more of training in this cycle (%(achieved)s of %(required)s so far)."
            ),
            RuleKind.AREA_HOURS: _(
                "%(need)s more of training in %(area)s in this cycle "
                "(%(achieved)s of %(required)s so far)."
            ),
            RuleKind.RSC_HOURS: _(
                "%(need)s more of reflective supervision/consultation in this cycle "
                "(%(achieved)s of %(required)s so far)."
            ),
            RuleKind.RSC_TOPIC_HOURS: _(
                "%(need)s more of training about providing RSC in this cycle "
                "(%(achieved)s of %(required)s so far)."
            ),
            RuleKind.DEI_HOURS: _(
                "%(need)s more of DEI training in this cycle (%(achieved)s of %(required)s so far)."
            ),
        }
    else:
        sentences = {
            RuleKind.TRAINING_HOURS: _(
                "%(need)s more of training (%(achieved)s of %(required)s so far)."
            ),
            RuleKind.AREA_HOURS: _(
                "%(need)s more of training in %(area)s (%(achieved)s of %(required)s so far)."
            ),
            RuleKind.RSC_HOURS: _(
                "%(need)s more of reflective supervision/consultation "
                "(%(achieved)s of %(required)s so far)."
            ),
            RuleKind.RSC_TOPIC_HOURS: _(
                "%(need)s more of training about providing RSC "
                "(%(achieved)s of %(required)s so far)."
            ),
            RuleKind.DEI_HOURS: _(
                "%(need)s more of DEI training (%(achieved)s of %(required)s so far)."
            ),
        }
    return sentences[rule.kind] % values


def describe_area(progress: AreaProgress) -> str:
    if progress.gap > 0:
        return _("%(need)s more in %(area)s (%(hours)s of %(required)s).") % {
            "need": hours_in_words(progress.gap),
            "area": progress.area.name,
            "hours": format_hours(progress.hours),
            "required": format_hours(progress.required),
        }
    if not progress.covered:
        return _("No training yet in %(area)s.") % {"area": progress.area.name}
    return ""


def missing_in_words(evaluation: Evaluation) -> list[str]:
    """Every unmet rule, then every area short of hours that no unmet rule already names."""
    lines = [describe_gap(r) for r in evaluation.unmet]
    named = {r.rule.area_code for r in evaluation.unmet if r.rule.kind == RuleKind.AREA_HOURS}
    short = [a for a in evaluation.areas if a.gap > 0 and a.area.code not in named]
    lines += [describe_area(a) for a in (*short, *evaluation.uncovered_areas)]
    return lines
