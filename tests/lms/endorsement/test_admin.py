"""Requirement sets in Wagtail's admin: association admins edit their own rules only."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lms.endorsement.models import RequirementSet
from lms.endorsement.services.requirements import load_requirement_defaults
from lms.organizations.models import Role
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_endorsement_requirementset:list"
EDIT = "wagtailsnippets_endorsement_requirementset:edit"
NEW_VERSION = "wagtailsnippets_endorsement_requirementset:new_version"


def admin_user(organization, role=Role.ADMIN):
    user = MembershipFactory(organization=organization, role=role).user
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def denied(response):
    return response.status_code in (302, 403, 404)


@pytest.fixture
def associations(framework):
    mine = OrganizationFactory(name="Great Lakes Association")
    theirs = OrganizationFactory(name="Prairie Association")
    load_requirement_defaults(associations=[mine, theirs])
    return mine, theirs


def edit_data(requirement_set, **changes):
    rules = list(requirement_set.rules.all())
    values = {
        "association": requirement_set.association_id,
        "category": requirement_set.category_id,
        "kind": requirement_set.kind,
        "version": requirement_set.version,
        "effective_from": requirement_set.effective_from.isoformat(),
        "effective_to": "",
        "window_kind": requirement_set.window_kind,
        "cycle_years": requirement_set.cycle_years,
        "due_month": requirement_set.due_month or "",
        "due_day": requirement_set.due_day or "",
        "notes": requirement_set.notes,
        "raters_required": requirement_set.raters_required,
        "void_rating_at_nei": requirement_set.void_rating_at_nei,
        "reviewers_required": requirement_set.reviewers_required,
        "registration_fee": requirement_set.registration_fee,
        "submission_fee": requirement_set.submission_fee,
        "renewal_fee": requirement_set.renewal_fee,
        "rules": inline_formset(
            [
                {
                    "id": rule.pk,
                    "kind": rule.kind,
                    "min_hours": rule.min_hours or "",
                    "area": "",
                    "checklist_item": rule.checklist_item,
                    "applies_to": rule.applies_to,
                    "condition_years": rule.condition_years or "",
                    "lookback_months": rule.lookback_months or "",
                    "note": rule.note,
                    **({"open_at_submission": "on"} if rule.open_at_submission else {}),
                    "ORDER": i,
                }
                for i, rule in enumerate(rules)
            ],
            initial=len(rules),
        ),
    }
    values.update(changes)
    if requirement_set.expects_every_area:
        values["expects_every_area"] = "on"
    return nested_form_data(values)


def test_admins_see_and_edit_only_their_associations_rules(client, associations):
    mine, theirs = associations
    client.force_login(admin_user(mine))
    listing = client.get(reverse(LIST)).content.decode()
    assert "Great Lakes Association" in listing and "Prairie Association" not in listing

    own = RequirementSet.objects.get(association=mine, category__code="IFS", kind="renewal")
    other = RequirementSet.objects.get(association=theirs, category__code="IFS", kind="renewal")
    assert client.get(reverse(EDIT, args=[own.pk])).status_code == 200
    assert denied(client.get(reverse(EDIT, args=[other.pk])))
    assert denied(client.post(reverse(EDIT, args=[other.pk]), edit_data(other, version="Ours")))
    assert RequirementSet.objects.get(pk=other.pk).version == other.version

    data = edit_data(own)
    training = next(k for k, v in data.items() if v == "training_hours").replace(
        "kind", "min_hours"
    )
    data[training] = "20"
    data["registration_fee"] = "85"  # typed in dollars, kept in cents
    data["renewal_fee"] = "30.50"
    data["submission_fee"] = ""
    response = client.post(reverse(EDIT, args=[own.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.rules.get(kind="training_hours").min_hours == D(20)
    assert (own.registration_fee, own.renewal_fee, own.submission_fee) == (8500, 3050, 0)
    assert 'value="85.00"' in client.get(reverse(EDIT, args=[own.pk])).content.decode()
    assert own.is_default is False
    # The association's edit survives the defaults loader.
    load_requirement_defaults(associations=[mine])
    assert own.rules.get(kind="training_hours").min_hours == D(20)


def test_editors_and_other_members_cannot_edit_rules(client, associations):
    mine, _ = associations
    own = RequirementSet.objects.filter(association=mine).first()
    for role in (Role.EDITOR, Role.REVIEWER):
        client.force_login(admin_user(mine, role))
        assert denied(client.get(reverse(EDIT, args=[own.pk]))), role
        assert denied(client.get(reverse(LIST))), role


def test_invalid_rules_and_overlapping_versions_change_nothing(client, associations):
    mine, _ = associations
    own = RequirementSet.objects.get(association=mine, category__code="IFA", kind="initial")
    client.force_login(admin_user(mine))
    data = edit_data(own)
    checklist = next(k for k, v in data.items() if v == "checklist").replace("kind", "min_hours")
    data[checklist] = "3"  # checklist items have no hours
    response = client.post(reverse(EDIT, args=[own.pk]), data)
    assert response.status_code == 200
    assert "Checklist items have no hours." in response.content.decode()
    own.refresh_from_db()
    assert own.is_default
    assert not own.rules.filter(kind="checklist", min_hours__isnull=False).exists()

    response = client.post(
        reverse(NEW_VERSION, args=[own.pk]),
        {"version": "2026 rules", "effective_from": "2026-01-01"},
    )
    assert response.status_code == 302
    new = RequirementSet.objects.get(association=mine, category__code="IFA", version="2026 rules")
    own.refresh_from_db()
    assert own.effective_to == datetime.date(2025, 12, 31)
    assert new.rules.count() == own.rules.count()

    clash = edit_data(new, effective_from="2025-06-01")
    response = client.post(reverse(EDIT, args=[new.pk]), clash)
    assert response.status_code == 200
    assert "overlap the version" in response.content.decode()
    new.refresh_from_db()
    assert new.effective_from == datetime.date(2026, 1, 1)
