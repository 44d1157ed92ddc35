import csv as csvlib
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.organizations.models import Role
from lms.records.models import CertificateTemplate, RecordStatus, TrainingRecord
from tests.factories import MembershipFactory, OrganizationFactory

from .factories import issue

pytestmark = pytest.mark.django_db


def admin_user(organization, role):
    user = MembershipFactory(organization=organization, role=role).user
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def two_associations(framework):
    mine, theirs = OrganizationFactory(), OrganizationFactory()
    return (
        mine,
        theirs,
        issue(provider_organization=mine, title="Our own webinar"),
        issue(provider_organization=theirs, title="Their own workshop"),
    )


def test_issued_records_are_scoped_to_the_users_organizations(client, two_associations):
    mine, _, my_record, their_record = two_associations
    client.force_login(admin_user(mine, Role.REVIEWER))
    url = reverse("records_admin:issued_records")
    client.get(url)  # The first request caches the site and the user's language.
    counts = []
    for size in (2, 20):
        for n in range(size - len(counts) * 2):
            issue(provider_organization=mine, title=f"Our series, part {size}-{n}")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        counts.append(len(queries))
    # The listing costs the same whatever the number of rows; the admin's menus answer
    # permission questions from memberships loaded once.
    assert counts[0] == counts[1] <= 20, counts
    assert page.status_code == 200
    html = page.content.decode()
    assert my_record.title in html
    assert their_record.title not in html
    detail = reverse("records_admin:issued_record", args=[their_record.verification_id])
    assert client.get(detail).status_code == 404
    csv = client.get(reverse("records_admin:issued_records"), {"format": "csv"}).content.decode()
    assert my_record.learner.email in csv
    assert their_record.learner.email not in csv


def test_learner_without_membership_is_refused(client, two_associations):
    user = MembershipFactory(role=Role.STAFF, organization__kind="center").user
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("records_admin:issued_records")).status_code in (302, 403)


def test_admin_amends_and_revokes_reviewer_cannot(client, two_associations):
    mine, _, record, _ = two_associations
    url = reverse("records_admin:issued_record", args=[record.verification_id])
    client.force_login(admin_user(mine, Role.REVIEWER))
    refused = client.post(url, {"revoke": "1", "revoke-reason": "x"})
    assert refused.status_code == 302  # Wagtail turns PermissionDenied into a redirect
    assert refused["Location"] == "/admin/"
    assert TrainingRecord.objects.get(pk=record.pk).status == RecordStatus.VALID

    client.force_login(admin_user(mine, Role.ADMIN))
    form = {
        "amend": "1",
        "amend-title": "Attachment across the first year",
        "amend-completed_on": "2024-03-14",
        "amend-duration_hours": "3.5",
        "amend-facilitators": "Dana Whitfield, LMSW, IMH-E",
        "amend-hours_TF": "2.5",
        "amend-hours_REF": "1",
        "amend-reason": "Title was shortened on the flyer",
    }
    assert client.post(url, form)["Location"] == url
    amendment = record.amendments.get()
    assert set(amendment.changes) == {"title"}
    bad = client.post(url, {**form, "amend-hours_TF": "1", "amend-reason": "hours"})
    assert "add up to" in bad.content.decode()
    assert record.amendments.count() == 1

    assert client.post(url, {"revoke": "1", "revoke-reason": "Issued twice"})["Location"] == url
    assert TrainingRecord.objects.get(pk=record.pk).status == RecordStatus.REVOKED


def test_certificate_templates_are_scoped(client, two_associations):
    mine, theirs, _, _ = two_associations
    my_template = CertificateTemplate.objects.create(organization=mine, heading="Mine")
    their_template = CertificateTemplate.objects.create(organization=theirs, heading="Theirs")
    client.force_login(admin_user(mine, Role.ADMIN))
    index = client.get(reverse("wagtailsnippets_records_certificatetemplate:list"))
    assert index.status_code == 200
    assert "Mine" in index.content.decode()
    assert "Theirs" not in index.content.decode()
    edit_theirs = reverse(
        "wagtailsnippets_records_certificatetemplate:edit", args=[their_template.pk]
    )
    assert client.get(edit_theirs).status_code in (302, 403, 404)
    edit_mine = reverse("wagtailsnippets_records_certificatetemplate:edit", args=[my_template.pk])
    response = client.post(
        edit_mine,
        {
            "organization": theirs.pk,
            "heading": "Hijack",
            "primary_colour": "#000000",
            "accent_colour": "#000000",
        },
    )
    assert response.status_code == 200  # the form refuses another organization
    my_template.refresh_from_db()
    assert my_template.heading == "Mine"
    response = client.post(
        edit_mine,
        {
            "organization": mine.pk,
            "heading": "Certificate of attendance",
            "primary_colour": "#123456",
            "accent_colour": "#abcdef",
        },
    )
    assert response.status_code == 302
    my_template.refresh_from_db()
    assert my_template.primary_colour == "#123456"

    editor = admin_user(mine, Role.EDITOR)
    client.force_login(editor)
    assert client.get(edit_mine).status_code in (302, 403)


def test_certificate_uses_the_association_template(client, two_associations):
    mine, _, record, _ = two_associations
    CertificateTemplate.objects.create(
        organization=mine, heading="Certificate of attendance", signatory_name="Grace Lindqvist"
    )
    from lms.records.documents import certificate_html

    html = certificate_html(TrainingRecord.objects.get(pk=record.pk))
    assert "Certificate of attendance" in html
    assert "Grace Lindqvist" in html
    assert "data:image/svg+xml" in html  # the QR code


def test_an_admin_cannot_delete_another_associations_certificate_template(client, two_associations):
    mine, theirs, _, _ = two_associations
    their_template = CertificateTemplate.objects.create(organization=theirs, heading="Theirs")
    client.force_login(admin_user(mine, Role.ADMIN))
    delete_theirs = reverse(
        "wagtailsnippets_records_certificatetemplate:delete", args=[their_template.pk]
    )
    assert client.get(delete_theirs).status_code in (302, 403, 404)
    assert client.post(delete_theirs).status_code in (302, 403, 404)
    assert CertificateTemplate.objects.filter(pk=their_template.pk).exists()


def test_another_associations_template_history_usage_and_chooser_are_closed(
    client, two_associations
):
    mine, theirs, _, _ = two_associations
    their_template = CertificateTemplate.objects.create(organization=theirs, heading="Theirs")
    client.force_login(admin_user(mine, Role.ADMIN))
    for name in ("history", "usage"):
        url = reverse(
            f"wagtailsnippets_records_certificatetemplate:{name}", args=[their_template.pk]
        )
        assert client.get(url).status_code in (302, 403, 404), name
    chosen = reverse(
        "wagtailsnippetchoosers_records_certificatetemplate:chosen", args=[their_template.pk]
    )
    assert client.get(chosen).status_code == 404


def test_issued_records_csv_opens_every_typed_name_as_text(client, two_associations):
    """Names and titles someone typed never run as formulas in the spreadsheet that opens
    the export; the other cells are untouched."""
    mine = two_associations[0]
    record = issue(provider_organization=mine, title="@SUM(1+1)")
    record.learner.first_name, record.learner.last_name = "=HYPERLINK(evil)", "+Smith"
    record.learner.save()
    client.force_login(admin_user(mine, Role.ADMIN))
    response = client.get(reverse("records_admin:issued_records"), {"format": "csv"})
    rows = list(csvlib.reader(io.StringIO(response.content.decode())))
    (row,) = [r for r in rows if r[2] == record.learner.email]
    assert row[1] == "'=HYPERLINK(evil) +Smith"
    assert row[3] == "'@SUM(1+1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
