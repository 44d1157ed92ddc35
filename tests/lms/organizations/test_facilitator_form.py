"""The facilitator form offers only the editor's own organizations' people as accounts."""

from django.urls import reverse

from lms.organizations.models import Role
from tests.courses.factories import member


def test_the_account_field_lists_only_people_of_the_editors_organizations(
    client, great_lakes, prairie
):
    member(great_lakes, Role.REVIEWER, user__last_name="Lakeshore")
    member(prairie, Role.REVIEWER, user__last_name="Prairiedale")
    client.force_login(member(great_lakes, Role.EDITOR))

    form = client.get(reverse("wagtailsnippets_organizations_facilitator:add"))
    assert form.status_code == 200
    assert "Lakeshore" in form.content.decode()
    assert "Prairiedale" not in form.content.decode()
