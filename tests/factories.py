"""factory_boy factories for the core models. Apps add their own beside their tests."""

import datetime

import factory
from factory.django import DjangoModelFactory

from lms.accounts.models import LearnerProfile, User
from lms.competencies.models import (
    AgeBand,
    CompetencyArea,
    CompetencyFramework,
    EndorsementCategory,
    SubArea,
)
from lms.organizations.models import Membership, Organization, OrganizationKind, Role


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@attune.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LearnerProfileFactory(DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class CenterFactory(OrganizationFactory):
    kind = OrganizationKind.CENTER
    name = factory.Sequence(lambda n: f"Center {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.EDITOR


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyFramework

    name = "Test framework"
    version = factory.Sequence(lambda n: f"{n}.0")
    effective_date = datetime.date(2020, 1, 1)


class CompetencyAreaFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyArea

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    order = factory.Sequence(int)


class SubAreaFactory(DjangoModelFactory):
    class Meta:
        model = SubArea

    area = factory.SubFactory(CompetencyAreaFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"Sub-area {n}")


class EndorsementCategoryFactory(DjangoModelFactory):
    class Meta:
        model = EndorsementCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CAT{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    level = 1
    age_band = AgeBand.INFANT
