"""What a resource link opens: a training, a lesson or a library module of the connection's
organization (or a module it may use), named by the link's custom parameter
``attune_target`` (``training:<id>``, ``lesson:<id>``, ``module:<id>``) or by a
``target_link_uri`` pointing at a page of the organization's site. Never another tenant's."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from wagtail.models import Page

from courses.models import LessonPage, LibraryModule, TrainingPage
from courses.selectors.library import modules_available_to

CUSTOM_KEY = "attune_target"


@dataclass(frozen=True)
class Target:
    training: TrainingPage | None = None
    lesson: LessonPage | None = None
    module: LibraryModule | None = None


def custom_parameters(*, training=None, lesson=None, module=None) -> dict[str, str]:
    """The custom parameters of a resource link that opens ``training``, ``lesson`` or
    ``module`` (for deep-linking responses)."""
    if lesson is not None:
        return {CUSTOM_KEY: f"lesson:{lesson.pk}"}
    if module is not None:
        return {CUSTOM_KEY: f"module:{module.pk}"}
    return {CUSTOM_KEY: f"training:{training.pk}"}


def _owned_training(organization, page) -> TrainingPage | None:
    """``page`` as a live training of ``organization``'s (its provider, or in its site)."""
    if page is None:
        return None
    training = TrainingPage.objects.live().filter(pk=page.pk).first()
    if training is None:
        return None
    if training.provider_id == organization.pk:
        return training
    site = organization.site
    if site is not None and training.path.startswith(site.root_page.path):
        return training
    return None


def usable_modules(organization):
    """The library modules ``organization`` may use, by the rule its course editors follow
    (``courses.selectors.library``): its own, and those shared with it or with everyone;
    published only."""
    return modules_available_to(organization=organization)


def _by_custom(organization, value: str) -> Target | None:
    kind, _sep, raw_id = value.partition(":")
    if not raw_id.isdigit():
        return None
    pk = int(raw_id)
    if kind == "training":
        training = _owned_training(organization, Page.objects.filter(pk=pk).first())
        return Target(training=training.specific) if training else None
    if kind == "lesson":
        lesson = LessonPage.objects.live().filter(pk=pk).first()
        parent = lesson.get_parent() if lesson else None
        training = _owned_training(organization, parent)
        return Target(training=training.specific, lesson=lesson) if training else None
    if kind == "module":
        module = usable_modules(organization).filter(pk=pk).first()
        return Target(module=module) if module else None
    return None


def _by_url(organization, url: str) -> Target | None:
    site = organization.site
    if site is None or not url:
        return None
    parts = urlsplit(url)
    if parts.hostname and parts.hostname != site.hostname:
        return None
    path = "/" + "/".join(part for part in parts.path.split("/") if part) + "/"
    page = Page.objects.live().filter(url_path=site.root_page.url_path + path.lstrip("/")).first()
    if page is None:
        return None
    lesson = LessonPage.objects.filter(pk=page.pk).first()
    if lesson is not None:
        training = _owned_training(organization, lesson.get_parent())
        return Target(training=training.specific, lesson=lesson) if training else None
    training = _owned_training(organization, page)
    return Target(training=training.specific) if training else None


def resolve_target(*, organization, custom: dict | None, target_link_uri: str) -> Target | None:
    value = (custom or {}).get(CUSTOM_KEY, "")
    if value:
        return _by_custom(organization, str(value))
    return _by_url(organization, target_link_uri)
