"""Reading claimed credits: one credit's certificate and verification, a learner's credit
transcript for one kind and a date range, an association's roster of claims for a board audit.

A credit's facts (amount, category, numbers, wording) are the frozen ``RecordCredit``; the
training's facts (title, date, presenters) are its record's effective facts (``facts_for``),
so an amended completion date moves the credit with it. Date ranges are therefore checked on
the effective date: the database narrows by the issued date or "has amendments", Python
decides.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from lms.accounts.models import ProfessionalLicense
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from ..facts import RecordFacts, facts_for
from ..models import RecordAreaHours
from ..models_credits import CreditClaim, CreditKind, RecordCredit


def _with_record_facts(qs: QuerySet) -> QuerySet:
    """Credits with their claim, kind, learner and issuer, and what ``facts_for`` reads on
    the record: a fixed number of queries whatever the number of credits."""
    return qs.select_related(
        "claim", "kind", "record__learner", "record__provider_organization"
    ).prefetch_related(
        Prefetch("record__area_hours", queryset=RecordAreaHours.objects.select_related("area")),
        "record__facilitators",
        "record__amendments",
    )


def claimed_credit(*, verification_id) -> RecordCredit | None:
    """An earned credit its learner has claimed (the claim may since be withdrawn), or None.
    Credits never claimed have no certificate and are not confirmed to anyone."""
    return (
        _with_record_facts(
            RecordCredit.objects.filter(
                verification_id=verification_id, earned=True, claim__isnull=False
            )
        )
        .order_by()
        .first()
    )


@dataclass(frozen=True)
class CreditLine:
    credit: RecordCredit
    facts: RecordFacts
    claim: CreditClaim

    @property
    def record(self):
        return self.credit.record

    @property
    def is_revoked(self) -> bool:
        return self.credit.record.is_revoked

    @property
    def is_withdrawn(self) -> bool:
        return not self.claim.is_active

    @property
    def counts(self) -> bool:
        return not (self.is_revoked or self.is_withdrawn)


@dataclass
class CategoryTotal:
    category: str
    label: str
    amount: Decimal = Decimal(0)
    contact_hours: Decimal = Decimal(0)


@dataclass
class CreditTranscript:
    learner: object
    kind: CreditKind
    start: datetime.date
    end: datetime.date
    lines: list[CreditLine]
    license: ProfessionalLicense | None = None
    license_number: str = ""
    license_jurisdiction: str = ""
    amount: Decimal = Decimal(0)
    contact_hours: Decimal = Decimal(0)
    by_category: list[CategoryTotal] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return sum(1 for line in self.lines if line.counts)


def _in_range(qs: QuerySet, start: datetime.date, end: datetime.date) -> list[RecordCredit]:
    narrowed = qs.filter(
        Q(record__completed_on__range=(start, end)) | Q(record__amendments__isnull=False)
    ).distinct()
    credits = [c for c in narrowed if start <= facts_for(c.record).completed_on <= end]
    credits.sort(key=lambda c: (facts_for(c.record).completed_on, c.record_id))
    return credits


def _totals(lines: list[CreditLine]) -> tuple[Decimal, Decimal, list[CategoryTotal]]:
    amount, contact_hours = Decimal(0), Decimal(0)
    by_category: dict[str, CategoryTotal] = {}
    for line in lines:
        if not line.counts:
            continue
        credit = line.credit
        total = by_category.get(credit.category)
        if total is None:
            label = str(credit.get_category_display())
            total = by_category[credit.category] = CategoryTotal(credit.category, label)
        total.amount += credit.amount
        total.contact_hours += credit.contact_hours
        amount += credit.amount
        contact_hours += credit.contact_hours
    return amount, contact_hours, sorted(by_category.values(), key=lambda t: t.label)


def transcript_kinds_for(*, learner) -> QuerySet[CreditKind]:
    """The kinds in which the learner has claimed a credit: what a credit transcript offers."""
    return (
        CreditKind.objects.filter(
            record_credits__record__learner=learner,
            record_credits__earned=True,
            record_credits__claim__learner=learner,
        )
        .select_related("organization")
        .distinct()
        .order_by("name", "organization__name")
    )


def credit_transcript_for(
    *, learner, kind: CreditKind, start: datetime.date, end: datetime.date
) -> CreditTranscript:
    """Every credit of ``kind`` the learner claimed (and has not withdrawn) for training
    completed from ``start`` to ``end``, oldest first; revoked records are listed and not
    counted. The license is the profile's for the kind's profession, else the one given
    with the latest claim."""
    qs = _with_record_facts(
        RecordCredit.objects.filter(
            kind=kind,
            earned=True,
            record__learner=learner,
            claim__learner=learner,
            claim__withdrawn_at__isnull=True,
        )
    )
    lines = [CreditLine(c, facts_for(c.record), c.claim) for c in _in_range(qs, start, end)]
    transcript = CreditTranscript(learner=learner, kind=kind, start=start, end=end, lines=lines)
    transcript.amount, transcript.contact_hours, transcript.by_category = _totals(lines)
    if kind.license_profession:
        held = ProfessionalLicense.objects.filter(
            user=learner, profession=kind.license_profession
        ).first()
        if held is not None:
            transcript.license = held
            transcript.license_number = held.number
            transcript.license_jurisdiction = held.jurisdiction
        else:
            given = max(
                (line.claim for line in lines if line.claim.license_number),
                key=lambda claim: claim.claimed_at,
                default=None,
            )
            if given is not None:
                transcript.license_number = given.license_number
                transcript.license_jurisdiction = given.license_jurisdiction
    return transcript


def roster_kinds_for(*, user) -> QuerySet[CreditKind]:
    """The kinds of the associations where ``user`` may view issued records."""
    orgs = organizations_where(user=user, action=Action.VIEW_ISSUED_RECORDS)
    return (
        CreditKind.objects.filter(organization__in=orgs)
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def credit_roster_for(
    *, kind: CreditKind, start: datetime.date, end: datetime.date
) -> list[CreditLine]:
    """Every claim of ``kind`` (withdrawn ones too, marked) for training completed from
    ``start`` to ``end``: who claimed what, for the awarding body's audit. The caller checks
    that the reader may see the kind's association (``roster_kinds_for``)."""
    qs = _with_record_facts(
        RecordCredit.objects.filter(kind=kind, earned=True, claim__isnull=False)
    )
    return [CreditLine(c, facts_for(c.record), c.claim) for c in _in_range(qs, start, end)]
