"""Per-association permissions in Wagtail's admin, derived from memberships."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from wagtail.models import Page

from lms.organizations.models import Facilitator, Role
from tests.courses.factories import FacilitatorFactory, approved_facilitator, member, training


@pytest.fixture
def prairie_draft(prairie):
    return training(prairie, "Prairie secret draft on toddler sleep", publish=False)


def denied(response):
    # Wagtail answers a forbidden admin page with a redirect to the dashboard.
    return response.status_code in (302, 403, 404)


def test_editor_cannot_see_or_edit_another_associations_pages(
    client, great_lakes, prairie, prairie_draft
):
    own = training(great_lakes, "Great Lakes draft", publish=False)
    client.force_login(member(great_lakes, Role.EDITOR))

    assert client.get(reverse("wagtailadmin_pages:edit", args=(own.pk,))).status_code == 200
    for name in ("edit", "view_draft", "history", "delete"):
        url = reverse(f"wagtailadmin_pages:{name}", args=(prairie_draft.pk,))
        assert denied(client.get(url)), name
    assert denied(client.get(reverse("wagtailadmin_explore", args=(prairie.site.root_page_id,))))
    post = client.post(reverse("wagtailadmin_pages:edit", args=(prairie_draft.pk,)), {})
    assert denied(post)

    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "draft"})
    assert "Great Lakes draft" in search.content.decode()
    assert "Prairie secret draft" not in search.content.decode()


def test_page_chooser_shows_published_pages_but_not_other_drafts(
    client, great_lakes, prairie, prairie_draft
):
    training(prairie, "Prairie published workshop on play")
    client.force_login(member(great_lakes, Role.EDITOR))
    html = client.get(
        reverse("wagtailadmin_choose_page_child", args=(prairie.catalog.pk,))
    ).content.decode()
    assert "Prairie published workshop on play" in html
    assert "Prairie secret draft" not in html


def test_groups_follow_memberships(great_lakes, prairie):
    editor = member(great_lakes, Role.EDITOR)
    assert editor.has_perm("wagtailadmin.access_admin")
    pages = Page.objects.filter(group_permissions__group__user=editor).distinct()
    assert [p.pk for p in pages] == [great_lakes.site.root_page_id]

    from lms.organizations.services import remove_member

    remove_member(organization=great_lakes, user=editor, role=Role.EDITOR)
    editor = type(editor).objects.get(pk=editor.pk)
    assert not editor.groups.exists()
    assert not editor.has_perm("wagtailadmin.access_admin")


def test_facilitators_are_scoped_per_organization(client, great_lakes, prairie):
    mine = FacilitatorFactory(name="Dana Whitfield", organization=great_lakes)
    approved = approved_facilitator(great_lakes, name="Rosa Jimenez", organization=prairie)
    theirs = FacilitatorFactory(name="Owen Tallchief", organization=prairie)
    client.force_login(member(great_lakes, Role.EDITOR))

    listing = client.get(reverse("wagtailsnippets_organizations_facilitator:list")).content
    assert b"Dana Whitfield" in listing and b"Rosa Jimenez" in listing
    assert b"Owen Tallchief" not in listing

    def edit(f):
        return reverse("wagtailsnippets_organizations_facilitator:edit", args=(f.pk,))

    assert client.get(edit(mine)).status_code == 200
    assert denied(client.get(edit(theirs)))
    assert denied(client.get(edit(approved)))  # visible to choose, but Prairie maintains it
    assert denied(client.post(edit(theirs), {"name": "Renamed"}))
    assert Facilitator.objects.get(pk=theirs.pk).name == "Owen Tallchief"

    add = reverse("wagtailsnippets_organizations_facilitator:add")
    client.post(add, {"name": "Smuggled In", "organization": prairie.pk})
    assert not Facilitator.objects.filter(name="Smuggled In").exists()
    client.post(add, {"name": "Lena Park", "credentials": "PhD", "organization": great_lakes.pk})
    assert Facilitator.objects.get(name="Lena Park").organization == great_lakes

    chooser = client.get(reverse("wagtailsnippetchoosers_organizations_facilitator:choose"))
    assert b"Rosa Jimenez" in chooser.content and b"Owen Tallchief" not in chooser.content


def test_only_the_association_records_its_own_approvals(client, great_lakes, prairie):
    facilitator = FacilitatorFactory(name="Rosa Jimenez", organization=prairie)
    add = reverse("wagtailsnippets_organizations_facilitatorapproval:add")
    client.force_login(member(great_lakes, Role.EDITOR))
    assert denied(client.get(add))

    client.force_login(member(great_lakes, Role.REVIEWER))
    form = {"facilitator": facilitator.pk, "approved_on": "2025-01-01", "expires_on": "2027-01-01"}
    client.post(add, {**form, "association": prairie.pk})
    assert not facilitator.approvals.exists()
    client.post(add, {**form, "association": great_lakes.pk})
    assert facilitator.approvals.get().association == great_lakes


def test_expired_approval_warns_the_editor(client, great_lakes):
    lapsed = approved_facilitator(
        great_lakes,
        name="Dana Whitfield",
        organization=great_lakes,
        expires_on=datetime.date(2024, 6, 30),
    )
    page = training(great_lakes, "Observation with curiosity", facilitators=[lapsed])
    client.force_login(member(great_lakes, Role.EDITOR))
    html = unescape(
        client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    )
    assert "Dana Whitfield's approval by GREAT-LA expired on June 30, 2024." in html

    snippet = client.get(
        reverse("wagtailsnippets_organizations_facilitator:edit", args=(lapsed.pk,))
    )
    assert "The approval by GREAT-LA expired on June 30, 2024." in unescape(
        snippet.content.decode()
    )


def test_roles_get_only_what_the_permission_table_allows(great_lakes):
    from courses.models import RoleGroup
    from tests.courses.factories import institute

    riverbend = institute()
    author = member(riverbend, Role.EDITOR)
    assert author.has_perm("wagtailadmin.access_admin")
    assert not Page.objects.filter(group_permissions__group__user=author).exists()

    reviewer = member(great_lakes, Role.REVIEWER)
    codenames = set(
        Page.objects.filter(group_permissions__group__user=reviewer).values_list(
            "group_permissions__permission__codename", flat=True
        )
    )
    assert codenames == {"change_page", "publish_page"}
    editor = member(great_lakes, Role.EDITOR)
    codenames = set(
        Page.objects.filter(group_permissions__group__user=editor).values_list(
            "group_permissions__permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}
    # Staff of a center have no admin role at all.
    assert not RoleGroup.objects.filter(role=Role.STAFF).exists()


def test_groups_are_built_even_without_a_root_collection(framework):
    # A flushed test database (transactional tests) has no root collection.
    from wagtail.models import Collection

    from tests.courses.factories import institute

    Collection.objects.all().delete()
    riverbend = institute()
    author = member(riverbend, Role.EDITOR)
    assert author.has_perm("wagtailadmin.access_admin")
    assert riverbend.media_collection.collection.get_parent() is not None
