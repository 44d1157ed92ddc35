"""A record's credits as its learner sees them on the record page: each kind with the amount,
whether it was earned (and why not), whether the learner claims it, and the license number
the claim form offers (reads only)."""

from dataclasses import dataclass

from lms.accounts.licenses import licenses_of

from ..models import CreditClaim, RecordCredit


@dataclass(frozen=True)
class CreditRow:
    credit: RecordCredit
    claim: CreditClaim | None
    can_claim: bool
    license_number: str = ""
    license_state: str = ""

    @property
    def is_claimed(self) -> bool:
        return self.claim is not None and self.claim.is_active

    @property
    def needs_license(self) -> bool:
        return bool(self.credit.license_profession)


def credit_rows(*, record, learner) -> list[CreditRow]:
    """Two queries (three with a kind that needs a license), whatever the number of kinds."""
    credits = list(
        RecordCredit.objects.filter(record_id=record.pk)
        .select_related("claim")
        .order_by("kind_name", "pk")
    )
    licenses = {}
    if any(c.license_profession for c in credits):
        licenses = {lic.profession: lic for lic in licenses_of(user=learner)}
    rows = []
    for credit in credits:
        claim = getattr(credit, "claim", None)
        held = licenses.get(credit.license_profession)
        if claim is not None and claim.license_number:
            number, state = claim.license_number, claim.license_jurisdiction
        else:
            number, state = (held.number, held.jurisdiction) if held else ("", "")
        rows.append(
            CreditRow(
                credit=credit,
                claim=claim,
                can_claim=credit.earned and not record.is_revoked,
                license_number=number,
                license_state=state,
            )
        )
    return rows
