"""What the interoperability parts hold about a person is in their download and goes with
their erasure: registry IDs, membership-system sign-in links, and what learning platforms
sent (a real launch from the test platform makes the platform account)."""

import io
import json
import zipfile

from django.utils import timezone
from lti_tool.models import LtiUser

from interop.lti.models import Placement, PlacementLaunch, RosterMember
from interop.registries.models import LearnerRegistryId
from interop.registries.services import set_registry_ids
from interop.sso.models import ExternalIdentity, IdentityProvider
from lms.accounts.erasure import process_erasure, request_erasure
from lms.accounts.models import User
from lms.accounts.privacy import sections
from tests.factories import UserFactory


def _download(client, user) -> dict[str, object]:
    client.force_login(user)
    response = client.post("/account/data/export/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {
        name.removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def test_registry_ids_sign_in_links_and_platform_data_are_downloaded_and_erased(
    lti_platform, lti_connection, lti_client, lti_target, great_lakes
):
    assert {
        "registry_ids",
        "membership_sign_in",
        "learning_platform_accounts",
        "learning_platform_launches",
        "learning_platform_rosters",
    } <= {s.name for s in sections() if s.export}

    answer = lti_platform.launch(
        lti_client,
        user_id="canvas-77",
        custom=lti_target,
        name="Dana Whitfield",
        email="dana.whitfield@lakes.example",
    )
    assert answer.status_code == 302, answer.content[:300]
    platform_user = LtiUser.objects.get(sub="canvas-77")
    learner = platform_user.auth_user
    assert platform_user.email == "dana.whitfield@lakes.example"
    context = Placement.objects.get().resource_link.context
    RosterMember.objects.create(
        context=context,
        sub="canvas-77",
        user=learner,
        name="Dana Whitfield",
        email="dana.whitfield@lakes.example",
        roles=["Learner"],
        is_learner=True,
        synced_at=timezone.now(),
    )
    set_registry_ids(learner=learner, ids={"state-generic": "MI-104233"})
    provider = IdentityProvider.objects.create(association=great_lakes, name="Lakes AMS")
    ExternalIdentity.objects.create(provider=provider, subject="member-5521", user=learner)
    someone_else = UserFactory()
    set_registry_ids(learner=someone_else, ids={"state-generic": "MI-999999"})

    data = _download(lti_client, learner)
    assert data["registry_ids"] == [
        {
            "registry": "Generic state-registry roster (example)",
            "registry_id": "MI-104233",
            "updated_at": data["registry_ids"][0]["updated_at"],
        }
    ]
    assert "MI-999999" not in json.dumps(data), "nobody else's"
    [link] = data["membership_sign_in"]
    assert (link["membership_system"], link["your_id_there"]) == ("Lakes AMS", "member-5521")
    [account] = data["learning_platform_accounts"]
    assert (account["platform"], account["your_id_there"]) == ("Great Lakes Canvas", "canvas-77")
    assert account["email"] == "dana.whitfield@lakes.example"
    [launch] = data["learning_platform_launches"]
    assert launch["organization"] == great_lakes.name
    assert launch["opened"] == "Attachment across the first year"
    [roster] = data["learning_platform_rosters"]
    assert (roster["name"], roster["roles"]) == ("Dana Whitfield", ["Learner"])

    admin = UserFactory(is_superuser=True, is_staff=True)
    process_erasure(erasure_request=request_erasure(user=learner), processed_by=admin)
    assert not LearnerRegistryId.objects.filter(learner=learner).exists()
    assert LearnerRegistryId.objects.filter(learner=someone_else).exists()
    assert not ExternalIdentity.objects.filter(user=learner).exists()
    platform_user.refresh_from_db()
    assert (platform_user.name, platform_user.email, platform_user.auth_user_id) == (
        "",
        "",
        learner.pk,
    )
    member = RosterMember.objects.get(sub="canvas-77")
    assert (member.name, member.email, member.user_id) == ("", "", learner.pk)
    # The launch is kept (the platform's grade book may still refer to it); the account is
    # erased, so a launch from the platform again is refused instead of reviving it.
    assert PlacementLaunch.objects.filter(user=learner).exists()
    assert not User.objects.get(pk=learner.pk).is_active
    lti_client.logout()
    again = lti_platform.launch(
        lti_client, user_id="canvas-77", custom=lti_target, name="Dana Whitfield"
    )
    assert again.status_code == 403
    assert "_auth_user_id" not in lti_client.session
    platform_user.refresh_from_db()
    assert platform_user.name == "" and platform_user.auth_user_id == learner.pk
