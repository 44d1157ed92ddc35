"""The audit log: each sensitive action leaves one entry with who, where and what; entries
cannot be changed; organization admins see their organizations' entries only."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from centers.services import remove_staff
from lms.accounts.models import ConsentScope
from lms.accounts.services import grant_consent, revoke_consent
from lms.audit.models import AuditAction, AuditEvent
from lms.audit.services import record_event
from lms.organizations.models import Membership, Role
from lms.organizations.services import add_member, remove_member
from lms.records.services.amendments import amend_record, revoke_record
from tests.centers.builders import staff
from tests.factories import CenterFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.lms.integrations.test_api import get, sharing, token_for
from tests.lms.records.factories import issue

pytestmark = pytest.mark.django_db

AUDIT_LOG = "/admin/audit-log/"


def events(action):
    return list(AuditEvent.objects.filter(action=action))


def admin_of(organization, role=Role.ADMIN):
    user = MembershipFactory(organization=organization, role=role).user
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_record_amendment_and_revocation_are_recorded(framework):
    association = OrganizationFactory()
    officer = UserFactory()
    record = issue(provider_organization=association)
    amend_record(record=record, by=officer, reason="Typo in the title", title="Attachment, year 1")
    revoke_record(record=record, by=officer, reason="Issued twice")

    (amended,) = events(AuditAction.RECORD_AMENDED)
    assert (amended.actor, amended.actor_repr) == (officer, officer.email)
    assert amended.organization == association
    assert (amended.target_type, amended.target_id) == (
        "records.platformcompletion",
        str(record.pk),
    )
    assert amended.details["reason"] == "Typo in the title"
    assert amended.details["changes"]["title"]["to"] == "Attachment, year 1"
    (revoked,) = events(AuditAction.RECORD_REVOKED)
    assert revoked.details == {"reason": "Issued twice"}
    assert revoked.organization == association


def test_refused_amendment_leaves_no_entry(framework):
    record = issue()
    with pytest.raises(ValidationError):
        amend_record(record=record, by=UserFactory(), reason="", title="New")
    assert not AuditEvent.objects.exists()


def test_role_grants_changes_and_removals_are_recorded():
    organization, person = OrganizationFactory(), UserFactory()
    add_member(organization=organization, user=person, role=Role.EDITOR)
    add_member(organization=organization, user=person, role=Role.EDITOR)  # no change
    membership = Membership.objects.get(user=person)
    membership.role = Role.REVIEWER  # as a superuser editing it in the admin would
    membership.save()
    remove_member(organization=organization, user=person, role=Role.REVIEWER)

    kinds = [
        (e.action, e.details)
        for e in AuditEvent.objects.filter(organization=organization).order_by("pk")
    ]
    assert kinds == [
        (AuditAction.ROLE_GRANTED, {"role": "editor"}),
        (AuditAction.ROLE_CHANGED, {"role": "reviewer", "previous_role": "editor"}),
        (AuditAction.ROLE_REMOVED, {"role": "reviewer"}),
    ]
    assert AuditEvent.objects.filter(target_id=str(person.pk)).count() == 3


def test_roster_changes_are_recorded():
    center = CenterFactory()
    manager = MembershipFactory(organization=center, role=Role.MANAGER).user
    person = staff(center, "ana@example.org", by=manager, share=True)
    remove_staff(staff=person, by=manager)

    actions = list(
        AuditEvent.objects.filter(organization=center, target_id=str(person.user_id))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.STAFF_ADDED,
        AuditAction.ROLE_GRANTED,
        AuditAction.CONSENT_GRANTED,
        AuditAction.STAFF_ENDED,
        AuditAction.ROLE_REMOVED,
        AuditAction.CONSENT_REVOKED,
    ]
    ended = events(AuditAction.STAFF_ENDED)[0]
    assert ended.actor == manager
    assert ended.details == {"status": "removed"}


def test_consent_changes_are_recorded_once():
    association, person = OrganizationFactory(kind="association"), UserFactory()
    scope = ConsentScope.ASSOCIATION_RECORDS
    grant_consent(user=person, organization=association, scope=scope)
    grant_consent(user=person, organization=association, scope=scope)  # a double click
    assert revoke_consent(user=person, organization=association, scope=scope)
    assert not revoke_consent(user=person, organization=association, scope=scope)

    assert [(e.action, e.details) for e in AuditEvent.objects.order_by("pk")] == [
        (AuditAction.CONSENT_GRANTED, {"scope": scope}),
        (AuditAction.CONSENT_REVOKED, {"scope": scope}),
    ]


def test_consent_page_records_the_person_and_address(client):
    association, person = OrganizationFactory(kind="association"), UserFactory()
    client.force_login(person)
    client.post(
        reverse("accounts:sharing"),
        {"organization": association.slug, "share": "yes"},
        REMOTE_ADDR="203.0.113.9",
    )
    (granted,) = events(AuditAction.CONSENT_GRANTED)
    assert (granted.actor, granted.ip, granted.organization) == (
        person,
        "203.0.113.9",
        association,
    )


def test_exports_of_others_data_are_recorded(client, framework):
    association = OrganizationFactory()
    issue(provider_organization=association)
    officer = admin_of(association, Role.REVIEWER)
    client.force_login(officer)
    response = client.get(reverse("records_admin:issued_records"), {"format": "csv"})
    assert response.status_code == 200
    (exported,) = events(AuditAction.DATA_EXPORTED)
    assert (exported.actor, exported.organization, exported.ip) == (
        officer,
        association,
        "127.0.0.1",
    )
    assert exported.details == {"export": "/admin/issued-records/", "query": "format=csv"}

    center = CenterFactory()
    manager = MembershipFactory(organization=center, role=Role.MANAGER).user
    client.force_login(manager)
    response = client.get(reverse("centers:export", args=[center.slug]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(
        action=AuditAction.DATA_EXPORTED, organization=center, actor=manager
    ).exists()


def test_association_api_reads_are_recorded(client, framework):
    association = OrganizationFactory(kind="association")
    token = token_for(association)
    assert get(client, token).json()["items"] == []
    assert not events(AuditAction.DATA_EXPORTED)  # nothing was shared, nothing exported

    learner = sharing(association)
    issue(learner=learner, provider_organization=association)
    assert len(get(client, token).json()["items"]) == 1
    (read,) = events(AuditAction.DATA_EXPORTED)
    assert read.organization == association
    assert read.actor is None
    assert read.target_type == "integrations.associationapitoken"
    assert read.details["count"] == 1


def test_refused_export_leaves_no_entry(client):
    center, other = CenterFactory(), CenterFactory()
    outsider = MembershipFactory(organization=other, role=Role.MANAGER).user
    client.force_login(outsider)
    assert client.get(reverse("centers:export", args=[center.slug])).status_code in (403, 404)
    assert not AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED).exists()


def test_entries_cannot_be_changed_or_deleted():
    event = record_event(action=AuditAction.DATA_EXPORTED, target_repr="x")
    event.target_repr = "y"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.update(target_repr="y")
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().target_repr == "x"


def test_entries_outlive_their_actor_and_organization():
    organization, actor = OrganizationFactory(), UserFactory(email="gone@example.org")
    event = record_event(
        action=AuditAction.DATA_EXPORTED, organization=organization, actor=actor, target=actor
    )
    actor_id, organization_id = actor.pk, organization.pk
    actor.delete()
    organization.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_repr) == (actor_id, "gone@example.org")
    assert event.organization_id == organization_id


def test_admins_see_their_organizations_entries_only(client):
    mine, theirs = OrganizationFactory(name="Great Lakes"), OrganizationFactory(name="Prairie")
    record_event(action=AuditAction.DATA_EXPORTED, organization=mine, target_repr="ours-export")
    record_event(action=AuditAction.RECORD_REVOKED, organization=mine, target_repr="ours-revoked")
    record_event(action=AuditAction.DATA_EXPORTED, organization=theirs, target_repr="their-export")

    client.force_login(admin_of(mine))
    page = client.get(AUDIT_LOG)
    assert page.status_code == 200
    html = page.content.decode()
    assert "ours-export" in html and "ours-revoked" in html
    assert "their-export" not in html
    # Asking for the other organization by its id shows nothing of it either.
    html = client.get(AUDIT_LOG, {"organization": theirs.pk}).content.decode()
    assert "their-export" not in html
    csv = client.get(AUDIT_LOG, {"export": "csv"})
    body = b"".join(csv.streaming_content).decode()
    assert "ours-export" in body and "their-export" not in body

    filtered = client.get(AUDIT_LOG, {"action": AuditAction.RECORD_REVOKED}).content.decode()
    assert "ours-revoked" in filtered and "ours-export" not in filtered
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    later = client.get(AUDIT_LOG, {"created_from": tomorrow}).content.decode()
    assert "ours-export" not in later
    today = timezone.localdate().isoformat()
    dated = client.get(AUDIT_LOG, {"created_from": today, "created_to": today})
    assert "ours-export" in dated.content.decode()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.MANAGER])
def test_other_roles_cannot_open_the_audit_log(client, role):
    mine = OrganizationFactory()
    record_event(action=AuditAction.DATA_EXPORTED, organization=mine, target_repr="ours-export")
    client.force_login(admin_of(mine, role))
    response = client.get(AUDIT_LOG)
    assert response.status_code in (302, 403)
    assert "ours-export" not in response.content.decode()


def test_superusers_see_every_entry(client):
    record_event(action=AuditAction.DATA_EXPORTED, target_repr="platform-wide")
    record_event(
        action=AuditAction.DATA_EXPORTED, organization=OrganizationFactory(), target_repr="org"
    )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(AUDIT_LOG).content.decode()
    assert "platform-wide" in html and "org" in html
    assert "/admin/audit-log/" in client.get("/admin/").content.decode()  # the Reports menu
