"""Helpers for endorsement tests: rule sets written as rows, records issued through the
records services (or in bulk, as the records tests do)."""

import datetime
from decimal import Decimal

from lms.competencies.models import CompetencyArea, EndorsementCategory
from lms.endorsement.models import RequirementRule, RequirementSet
from lms.endorsement.services.requirements import load_requirement_defaults
from tests.factories import OrganizationFactory


def requirement_set(
    association=None,
    category="IFS",
    *,
    kind="initial",
    version="v1",
    effective_from=datetime.date(2020, 1, 1),
    rules=(),
    **fields,
) -> RequirementSet:
    """A rule set; ``rules`` are dicts of ``RequirementRule`` fields (``area`` as a code)."""
    rs = RequirementSet.objects.create(
        association=association or OrganizationFactory(),
        category=EndorsementCategory.objects.get(code=category),
        kind=kind,
        version=version,
        effective_from=effective_from,
        **fields,
    )
    for i, values in enumerate(rules):
        values = dict(values)
        if "area" in values:
            values["area"] = CompetencyArea.objects.filter(code=values["area"]).latest("id")
        if "min_hours" in values:
            values["min_hours"] = Decimal(str(values["min_hours"]))
        RequirementRule.objects.create(requirement_set=rs, sort_order=i, **values)
    return rs


def association_with_defaults(**kwargs):
    association = OrganizationFactory(**kwargs)
    load_requirement_defaults(associations=[association])
    return association
