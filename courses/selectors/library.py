"""Which library modules an organization may embed, and where a module is used."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from wagtail.models import Page, ReferenceIndex

# The model's own module, not the package: the page editor forms ask this module.
from ..models.library import LibraryModule
from .ownership import association_for_page


def modules_available_to(*, organization) -> QuerySet[LibraryModule]:
    """Published modules that ``organization`` owns or that are shared with it."""
    return (
        LibraryModule.objects.filter(live=True)
        .filter(
            Q(shared_with_all=True) | Q(shared_with=organization) | Q(organization=organization)
        )
        .distinct()
    )


def module_is_available_to(*, module, organization) -> bool:
    return (
        organization is not None
        and modules_available_to(organization=organization).filter(pk=module.pk).exists()
    )


@dataclass(frozen=True)
class ModuleUse:
    page: Page
    association: object

    @property
    def course(self):
        return self.page.get_parent()


def module_usage(*, module) -> list[ModuleUse]:
    """The lessons that embed ``module``, with the association each belongs to."""
    page_ids = (
        ReferenceIndex.get_references_to(module)
        .filter(base_content_type__model="page", base_content_type__app_label="wagtailcore")
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).specific().order_by("path")
    return [ModuleUse(page=page, association=association_for_page(page=page)) for page in pages]
