"""Deep Linking: an instructor picks trainings and library modules of the connection's
organization, and the platform receives them as resource links, signed with Attune's key.

Each picked item becomes an ``ltiResourceLink`` whose custom parameter names what it opens
(``services.targets``: the resource launch reads it to make its placement), and, for a
training, a grade-book column (line item, out of 100) that the completion score is posted
to (``services.grades``).
"""

import dataclasses

from django.db.models import Q, QuerySet
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from courses.models import LibraryModule, TrainingPage
from courses.selectors.catalog import search_ids
from courses.selectors.quizzes import canonical_only

from .targets import custom_parameters, usable_modules

SCORE_MAXIMUM = 100
# LTI roles (full URIs or the short names some platforms send) that may deep link.
TEACHING_ROLES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
    "Instructor",
    "Administrator",
    "ContentDeveloper",
)


class DeepLinkingError(Exception):
    """What the instructor picked cannot be linked; the message says why."""


def may_deep_link(roles) -> bool:
    """Only the course's instructors and administrators choose what it links to."""
    return any(role in TEACHING_ROLES for role in roles or ())


def trainings_for(*, organization, query: str = "") -> QuerySet[TrainingPage]:
    """The organization's live, public trainings (each once, in its source language): those
    it provides and those in its site, as a resource launch accepts them (``targets``)."""
    owned = Q(provider=organization)
    site = organization.site
    if site is not None:
        owned |= Q(path__startswith=site.root_page.path)
    trainings = canonical_only(TrainingPage.objects.live().public().filter(owned))
    if query.strip():
        ids = search_ids(query=query.strip())
        trainings = trainings.filter(pk__in=ids)
    return trainings.order_by("title")


def modules_for(*, organization, query: str = "") -> QuerySet[LibraryModule]:
    """The library modules the organization may use (its own and those shared with it or
    with everyone), by the same rule as its course editors' module chooser."""
    modules = usable_modules(organization)
    if query.strip():
        modules = modules.filter(title__icontains=query.strip())
    return modules.order_by("title")


@dataclasses.dataclass(frozen=True)
class Picked:
    trainings: list
    modules: list

    def __bool__(self) -> bool:
        return bool(self.trainings or self.modules)


def picked(*, organization, training_ids, module_ids) -> Picked:
    """What the instructor chose, each checked against what the organization may link."""
    try:
        training_ids = {int(pk) for pk in training_ids}
        module_ids = {int(pk) for pk in module_ids}
    except (TypeError, ValueError) as error:
        raise DeepLinkingError("unknown item") from error
    trainings = list(trainings_for(organization=organization).filter(pk__in=training_ids))
    modules = list(modules_for(organization=organization).filter(pk__in=module_ids))
    if len(trainings) != len(training_ids) or len(modules) != len(module_ids):
        raise DeepLinkingError("unknown item")
    return Picked(trainings=trainings, modules=modules)


def resources(*, picks: Picked, launch_url: str) -> list[DeepLinkResource]:
    """One resource link per picked item; trainings carry a line item out of 100."""
    items = []
    for training in picks.trainings:
        lineitem = (
            LineItem()
            .set_score_maximum(SCORE_MAXIMUM)
            .set_label(training.title)
            .set_resource_id(f"attune-training-{training.pk}")
        )
        items.append(
            DeepLinkResource()
            .set_title(training.title)
            .set_url(launch_url)
            .set_custom_params(custom_parameters(training=training))
            .set_lineitem(lineitem)
        )
    for module in picks.modules:
        items.append(
            DeepLinkResource()
            .set_title(module.title)
            .set_url(launch_url)
            .set_custom_params(custom_parameters(module=module))
        )
    return items


def response_jwt(*, registration, deployment_id: str, settings: dict, items) -> str:
    """The signed LtiDeepLinkingResponse (Attune's tool key) for the platform's return URL."""
    link = DeepLink(registration.to_registration(), deployment_id, settings)
    return link.get_response_jwt(items)
