"""An association's admins keep its continuing-education credit kinds in Wagtail's admin:
only their own, audited, and a kind in use is switched off, never deleted."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.audit.models import AuditAction, AuditEvent
from lms.organizations.models import OrganizationKind, Role
from lms.records.models import CreditKind, RecordCredit
from tests.factories import MembershipFactory, OrganizationFactory

from .factories import issue

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_records_creditkind:list"
ADD = "wagtailsnippets_records_creditkind:add"
EDIT = "wagtailsnippets_records_creditkind:edit"
DELETE = "wagtailsnippets_records_creditkind:delete"


def staff(organization, role):
    user = MembershipFactory(organization=organization, role=role).user
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def refused(response) -> bool:
    """Forbidden, or Wagtail's way: a redirect to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def kind(org, **fields):
    values = {
        "name": "Social work CE",
        "code": "sw-ce",
        "awarding_body": "Example State Board of Social Work",
        "certificate_statement": "Approved by the Example State Board of Social Work (demo).",
        "approval_number": "SW-1187",
    }
    return CreditKind.objects.create(organization=org, **{**values, **fields})


def form_data(org, **fields):
    return {
        "organization": org.pk,
        "name": "Registry hours",
        "code": "registry",
        "awarding_body": "Example Early Childhood Registry",
        "unit": "contact_hours",
        "hours_per_unit": "1",
        "certificate_statement": "Approved for registry training hours (demo).",
        "approval_number": "ECR-22",
        "approved_from": "",
        "approved_until": "",
        "license_profession": "",
        "minimum_score_percent": "",
        "minimum_questions_per_hour": "",
        "minimum_attendance_percent": "",
        "is_active": "on",
        **fields,
    }


@pytest.fixture
def associations():
    return OrganizationFactory(name="Great Lakes Association"), OrganizationFactory(
        name="Prairie Association"
    )


def test_an_admin_adds_and_edits_their_associations_kinds_and_each_change_is_audited(
    client, associations
):
    mine, theirs = associations
    theirs_kind = kind(theirs, name="Prairie social work CE")
    admin = staff(mine, Role.ADMIN)
    client.force_login(admin)

    response = client.post(reverse(ADD), form_data(mine))
    assert response.status_code == 302
    added = CreditKind.objects.get(organization=mine, code="registry")
    response = client.post(
        reverse(EDIT, args=[added.pk]), form_data(mine, approved_until="2027-06-30")
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert str(added.approved_until) == "2027-06-30"

    events = AuditEvent.objects.filter(action=AuditAction.CREDIT_KIND_CHANGED).order_by("pk")
    assert [(e.details["change"], e.organization_id, e.actor_id) for e in events] == [
        ("created", mine.pk, admin.pk),
        ("changed", mine.pk, admin.pk),
    ]
    assert events.last().details["approved_until"] == "2027-06-30"

    listing = client.get(reverse(LIST)).content.decode()
    assert "Registry hours" in listing and "Prairie social work CE" not in listing
    # Another association's kind: neither opened nor changed, and not offered as an owner.
    assert refused(client.get(reverse(EDIT, args=[theirs_kind.pk])))
    assert refused(client.post(reverse(EDIT, args=[theirs_kind.pk]), form_data(theirs)))
    assert CreditKind.objects.get(pk=theirs_kind.pk).name == "Prairie social work CE"
    response = client.post(reverse(ADD), form_data(theirs, code="theirs"))
    assert response.status_code == 200
    assert not CreditKind.objects.filter(code="theirs").exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_an_associations_editors_and_reviewers_do_not_manage_its_kinds(client, associations, role):
    mine, _ = associations
    existing = kind(mine)
    client.force_login(staff(mine, role))
    assert refused(client.get(reverse(LIST)))
    assert refused(client.get(reverse(EDIT, args=[existing.pk])))
    assert refused(client.post(reverse(ADD), form_data(mine)))
    assert CreditKind.objects.count() == 1


def test_an_institutes_admin_has_no_credit_kinds(client):
    institute = OrganizationFactory(kind=OrganizationKind.FACULTY_INSTITUTE)
    client.force_login(staff(institute, Role.ADMIN))
    assert refused(client.get(reverse(LIST)))
    assert refused(client.post(reverse(ADD), form_data(institute)))
    assert not CreditKind.objects.exists()


def test_a_kind_records_earned_is_switched_off_not_deleted(client, associations, framework):
    mine, _ = associations
    used = kind(mine)
    record = issue(provider_organization=mine)
    RecordCredit.objects.create(
        record=record,
        kind=used,
        kind_name=used.name,
        awarding_body=used.awarding_body,
        unit=used.unit,
        amount=Decimal("3"),
        contact_hours=Decimal("3"),
        category="ethics",
        certificate_statement=used.certificate_statement,
        earned=True,
    )
    unused = kind(mine, name="Counselor CE", code="nbcc")
    client.force_login(staff(mine, Role.ADMIN))

    response = client.post(reverse(DELETE, args=[used.pk]), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Records have earned “Social work CE”, so it cannot be deleted." in html.replace(
        "&ldquo;", "“"
    ).replace("&rdquo;", "”")
    assert CreditKind.objects.filter(pk=used.pk).exists()

    # Bulk delete from the list gets the same answer and deletes neither.
    bulk = (
        reverse("wagtail_bulk_action", args=("records", "creditkind", "delete"))
        + f"?id={used.pk}&id={unused.pk}"
    )
    client.post(bulk, {})
    assert CreditKind.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2

    assert client.post(reverse(DELETE, args=[unused.pk])).status_code == 302
    assert not CreditKind.objects.filter(pk=unused.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREDIT_KIND_CHANGED, details__change="deleted"
    ).exists()


def test_units_are_checked_when_a_kind_is_saved(associations):
    mine, _ = associations
    with pytest.raises(ValidationError) as ceus:
        kind(mine, unit="ceus", hours_per_unit=Decimal("1")).full_clean()
    assert "usually 10" in str(ceus.value)
    with pytest.raises(ValidationError) as hours:
        kind(mine, code="hours", hours_per_unit=Decimal("10")).full_clean()
    assert "A contact hour is one hour: use 1." in str(hours.value)
    kind(mine, code="ok-ceus", unit="ceus", hours_per_unit=Decimal("10")).full_clean()
