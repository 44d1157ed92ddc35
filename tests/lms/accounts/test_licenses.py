"""Professional licenses in the learner's profile: add, change and remove them there, in the
"Your data" download, and gone after an erasure."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from lms.accounts.licenses import remove_license, save_license
from lms.accounts.models import ProfessionalLicense
from tests.factories import UserFactory


def test_one_license_per_profession_changed_in_place(db):
    learner = UserFactory()
    first = save_license(user=learner, profession="counseling", number=" LPC-12 ")
    again = save_license(
        user=learner, profession="counseling", number="LPC-13", jurisdiction="Ohio"
    )
    assert again.pk == first.pk and (again.number, again.jurisdiction) == ("LPC-13", "Ohio")
    assert remove_license(user=learner, profession="counseling") is True
    assert remove_license(user=learner, profession="counseling") is False


def test_wrong_input_is_refused_with_the_field_named(db):
    learner = UserFactory()
    with pytest.raises(ValidationError) as refused:
        save_license(user=learner, profession="astrology", number="")
    assert set(refused.value.message_dict) == {"profession", "number"}
    with pytest.raises(ValidationError) as too_long:
        save_license(user=learner, profession="nursing", number="R" * 61)
    assert too_long.value.message_dict["number"] == ["A license number has at most 60 characters."]
    with pytest.raises(ValidationError) as control:
        save_license(user=learner, profession="nursing", number="RN\x00-1", jurisdiction="Io\nwa")
    assert set(control.value.message_dict) == {"number", "jurisdiction"}
    assert not ProfessionalLicense.objects.exists()


def test_the_profile_page_adds_edits_and_removes_licenses(client, db):
    learner = UserFactory()
    client.force_login(learner)
    html = client.get("/account/profile/").content.decode()
    assert "Professional licenses" in html and "No licenses yet." in html
    url = "/account/profile/licenses/"
    assert client.get(url).status_code == 405
    response = client.post(
        url, {"profession": "social_work", "number": "LMSW-6801", "jurisdiction": "Michigan"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#licenses")
    html = client.get("/account/profile/").content.decode()
    assert 'value="LMSW-6801"' in html and "Your license was saved." in html
    # The add form offers only the licenses not kept yet.
    assert '<option value="social_work">Social work license</option>' not in html
    assert '<option value="nursing">Nursing license</option>' in html

    client.post(url, {"profession": "social_work", "number": "LMSW-7000", "action": "save"})
    assert ProfessionalLicense.objects.get().number == "LMSW-7000"
    response = client.post(url, {"profession": "social_work", "number": ""}, follow=True)
    assert "Enter the license number." in response.content.decode()
    assert ProfessionalLicense.objects.get().number == "LMSW-7000"

    # Another learner's post names only their own licenses: nothing of this one changes.
    other = UserFactory()
    client.force_login(other)
    client.post(url, {"profession": "social_work", "action": "remove"})
    assert ProfessionalLicense.objects.filter(user=learner).count() == 1

    client.force_login(learner)
    client.post(url, {"profession": "social_work", "action": "remove"})
    assert not ProfessionalLicense.objects.exists()


def test_your_data_download_holds_the_licenses(client, db):
    learner = UserFactory()
    save_license(user=learner, profession="nursing", number="RN-55", jurisdiction="Iowa")
    client.force_login(learner)
    response = client.post("/account/data/export/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = json.loads(archive.read("licenses.json"))
    assert rows[0]["number"] == "RN-55" and rows[0]["state"] == "Iowa"
    assert "credits.json" in archive.namelist()
