"""The one table of who may do what. Selectors read it; nothing else decides permissions."""

from enum import StrEnum

from .models import OrganizationKind as Kind
from .models import Role


class Action(StrEnum):
    MANAGE_MEMBERS = "manage_members"
    EDIT_TRAINING = "edit_training"
    REVIEW_TRAINING = "review_training"
    PUBLISH_TRAINING = "publish_training"
    MANAGE_MEDIA = "manage_media"
    FACILITATE = "facilitate"
    AUTHOR_MODULES = "author_modules"
    APPROVE_FACILITATORS = "approve_facilitators"
    MANAGE_SITE = "manage_site"
    VIEW_ISSUED_RECORDS = "view_issued_records"
    AMEND_ISSUED_RECORDS = "amend_issued_records"
    MANAGE_CERTIFICATES = "manage_certificates"
    MANAGE_CONTRACTS = "manage_contracts"
    MANAGE_ROSTER = "manage_roster"
    VIEW_STAFF_PROGRESS = "view_staff_progress"
    REVIEW_APPLICATIONS = "review_applications"
    MANAGE_APPLICATIONS = "manage_applications"
    MANAGE_INTEGRATIONS = "manage_integrations"
    VIEW_AUDIT_LOG = "view_audit_log"
    EDIT_REQUIREMENTS = "edit_requirements"
    MANAGE_PAYMENTS = "manage_payments"
    MANAGE_LEARNING_PLATFORMS = "manage_learning_platforms"
    MANAGE_CREDIT_KINDS = "manage_credit_kinds"


ANY_KIND = frozenset(Kind)
PUBLISHERS = frozenset({Kind.ASSOCIATION, Kind.FACULTY_INSTITUTE, Kind.TRAINING_PROVIDER})

# action -> (roles that may do it, kinds of organization where it applies)
RULES: dict[Action, tuple[frozenset[Role], frozenset[Kind]]] = {
    Action.MANAGE_MEMBERS: (frozenset({Role.ADMIN}), ANY_KIND),
    Action.EDIT_TRAINING: (frozenset({Role.ADMIN, Role.EDITOR}), PUBLISHERS),
    Action.REVIEW_TRAINING: (frozenset({Role.ADMIN, Role.REVIEWER}), PUBLISHERS),
    Action.PUBLISH_TRAINING: (frozenset({Role.ADMIN, Role.REVIEWER}), PUBLISHERS),
    Action.MANAGE_MEDIA: (frozenset({Role.ADMIN, Role.EDITOR}), PUBLISHERS),
    Action.FACILITATE: (frozenset({Role.ADMIN, Role.EDITOR, Role.FACILITATOR}), PUBLISHERS),
    Action.AUTHOR_MODULES: (frozenset({Role.ADMIN, Role.EDITOR}), PUBLISHERS),
    # An association vouches for the people who teach in its catalog.
    Action.APPROVE_FACILITATORS: (
        frozenset({Role.ADMIN, Role.REVIEWER}),
        frozenset({Kind.ASSOCIATION}),
    ),
    # The association's own site: branding (logo, colours) and catalog settings.
    Action.MANAGE_SITE: (frozenset({Role.ADMIN}), frozenset({Kind.ASSOCIATION})),
    Action.VIEW_ISSUED_RECORDS: (
        frozenset({Role.ADMIN, Role.EDITOR, Role.REVIEWER, Role.FACILITATOR}),
        PUBLISHERS,
    ),
    Action.AMEND_ISSUED_RECORDS: (frozenset({Role.ADMIN}), PUBLISHERS),
    Action.MANAGE_CERTIFICATES: (frozenset({Role.ADMIN}), PUBLISHERS),
    Action.MANAGE_CONTRACTS: (frozenset({Role.ADMIN}), frozenset({Kind.ASSOCIATION})),
    Action.MANAGE_ROSTER: (frozenset({Role.ADMIN, Role.MANAGER}), frozenset({Kind.CENTER})),
    Action.VIEW_STAFF_PROGRESS: (
        frozenset({Role.ADMIN, Role.MANAGER}),
        frozenset({Kind.CENTER}),
    ),
    Action.REVIEW_APPLICATIONS: (
        frozenset({Role.ADMIN, Role.REVIEWER}),
        frozenset({Kind.ASSOCIATION}),
    ),
    # See every submitted application of the association, assign its reviewers, record exam
    # results; reviewers see only the applications assigned to them.
    Action.MANAGE_APPLICATIONS: (frozenset({Role.ADMIN}), frozenset({Kind.ASSOCIATION})),
    Action.MANAGE_INTEGRATIONS: (frozenset({Role.ADMIN}), frozenset({Kind.ASSOCIATION})),
    Action.VIEW_AUDIT_LOG: (frozenset({Role.ADMIN}), ANY_KIND),
    # An association's endorsement requirement sets (rules per category and version).
    Action.EDIT_REQUIREMENTS: (frozenset({Role.ADMIN}), frozenset({Kind.ASSOCIATION})),
    # The association's money: invoices to centers, receipts of anyone's orders, refunds,
    # revenue reports.
    Action.MANAGE_PAYMENTS: (frozenset({Role.ADMIN}), frozenset({Kind.ASSOCIATION})),
    # Connections to the learning platforms (LTI: Canvas, Moodle…) the organization teaches in.
    Action.MANAGE_LEARNING_PLATFORMS: (
        frozenset({Role.ADMIN}),
        frozenset({Kind.ASSOCIATION, Kind.FACULTY_INSTITUTE}),
    ),
    # The continuing-education credit a board approved the association to offer: its
    # approval number and the wording certificates carry are the association's to keep, not
    # its providers' or institutes' (whose trainings offer the association's kinds).
    Action.MANAGE_CREDIT_KINDS: (frozenset({Role.ADMIN}), frozenset({Kind.ASSOCIATION})),
}


def roles_allowing(action: Action) -> frozenset[Role]:
    return RULES[Action(action)][0]


def kinds_allowing(action: Action) -> frozenset[Kind]:
    return RULES[Action(action)][1]
