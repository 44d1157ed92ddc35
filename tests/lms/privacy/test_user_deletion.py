"""Deleting a person through the Wagtail admin never takes evidence with it."""

import datetime

import pytest
from django.db.models import ProtectedError

from lms.accounts.models import User
from lms.endorsement.models import Endorsement
from tests.factories import EndorsementCategoryFactory, OrganizationFactory, UserFactory


@pytest.fixture
def endorsed(framework):
    user = UserFactory(email="holder@example.org")
    Endorsement.objects.create(
        learner=user,
        association=OrganizationFactory(kind="association"),
        category=EndorsementCategoryFactory(),
        endorsed_on=datetime.date(2024, 1, 1),
    )
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.org", password="x" * 12)


def test_a_person_with_an_endorsement_cannot_be_deleted_in_the_admin(client, endorsed, superuser):
    client.force_login(superuser)
    url = f"/admin/users/delete/{endorsed.pk}/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response.url == f"/admin/users/edit/{endorsed.pk}/"
    page = client.get(f"/admin/users/edit/{endorsed.pk}/").content.decode()
    assert "cannot be deleted" in page and "erasure request" in page
    assert User.objects.filter(pk=endorsed.pk).exists()
    assert Endorsement.objects.filter(learner=endorsed).count() == 1


def test_nor_through_the_bulk_delete(client, endorsed, superuser):
    client.force_login(superuser)
    url = f"/admin/bulk/accounts/user/delete/?id={endorsed.pk}"
    response = client.post(url)
    assert response.status_code == 302
    assert "cannot be deleted" in client.get(response.url).content.decode()
    assert User.objects.filter(pk=endorsed.pk).exists()
    assert Endorsement.objects.filter(learner=endorsed).count() == 1


def test_nothing_cascades_from_a_deleted_person(endorsed):
    with pytest.raises(ProtectedError):
        endorsed.delete()
    assert Endorsement.objects.filter(learner=endorsed).count() == 1


def test_a_person_with_no_kept_data_is_deleted_as_before(client, superuser, framework):
    plain = UserFactory(email="nobody@example.org")
    client.force_login(superuser)
    response = client.post(f"/admin/users/delete/{plain.pk}/")
    assert response.status_code == 302
    assert not User.objects.filter(pk=plain.pk).exists()
