"""The membership chooser shows only the people of organizations one administers."""

from django.urls import reverse

from lms.organizations.models import Role
from tests.courses.factories import member

CHOOSER = "wagtailsnippetchoosers_organizations_membership"


def test_an_editor_cannot_choose_or_read_another_associations_memberships(
    client, great_lakes, prairie
):
    theirs = member(prairie, Role.REVIEWER, user__last_name="Prairiedale")
    client.force_login(member(great_lakes, Role.EDITOR))

    listing = client.get(reverse(f"{CHOOSER}:choose")).content.decode()
    assert "Prairiedale" not in listing
    chosen = client.get(reverse(f"{CHOOSER}:chosen", args=(theirs.memberships.get().pk,)))
    assert chosen.status_code == 404


def test_an_admin_chooses_among_their_own_organizations_members(client, great_lakes, prairie):
    mine = member(great_lakes, Role.REVIEWER, user__last_name="Lakeshore")
    member(prairie, Role.REVIEWER, user__last_name="Prairiedale")
    client.force_login(member(great_lakes, Role.ADMIN))

    listing = client.get(reverse(f"{CHOOSER}:choose")).content.decode()
    assert "Lakeshore" in listing
    assert "Prairiedale" not in listing
    chosen = client.get(reverse(f"{CHOOSER}:chosen", args=(mine.memberships.get().pk,)))
    assert chosen.status_code == 200
