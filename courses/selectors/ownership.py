"""Which association a page belongs to (the one whose site root is above it), and whether a
training may be cross-listed in an association's catalog."""

from wagtail.models import Page

from lms.organizations.models import Organization

_CACHE_ATTR = "_attune_association"


def _ancestor_paths(path: str) -> list[str]:
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def association_for_path(*, path: str) -> Organization | None:
    if not path:
        return None
    return (
        Organization.objects.filter(site__root_page__path__in=_ancestor_paths(path))
        .select_related("site")
        .order_by("-site__root_page__depth")
        .first()
    )


def association_for_page(*, page) -> Organization | None:
    """The association that owns ``page`` (cached on the instance)."""
    if not hasattr(page, _CACHE_ATTR):
        setattr(page, _CACHE_ATTR, association_for_path(path=page.path))
    return getattr(page, _CACHE_ATTR)


def cross_listing_error(*, association, training) -> str | None:
    """Why ``training`` cannot be cross-listed in ``association``'s catalog, if it cannot."""
    if not training.live:
        return "Only published training can be cross-listed."
    if association_for_page(page=training) == association:
        return f"“{training.title}” is already in this catalog as your own."
    return None
