"""Which association a page belongs to (the one whose site root is above it), and whether a
training may be cross-listed in an association's catalog."""

from django.db.models import Q, Subquery
from django.utils.translation import gettext
from wagtail.models import Page

from lms.organizations.models import Organization

_CACHE_ATTR = "_attune_association"


def _ancestor_paths(path: str) -> list[str]:
    step = Page.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def association_for_path(*, path: str) -> Organization | None:
    """The association whose site root is above ``path``, or whose site root's translation
    is (each language's page tree of a site is the association's)."""
    if not path:
        return None
    paths = _ancestor_paths(path)
    ancestors = Page.objects.filter(path__in=paths, depth__gt=1).values("translation_key")
    return (
        Organization.objects.filter(
            Q(site__root_page__path__in=paths)
            | Q(site__root_page__translation_key__in=Subquery(ancestors))
        )
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
        return gettext("Only published training can be cross-listed.")
    if association_for_page(page=training) == association:
        return gettext("“%(title)s” is already in this catalog as your own.") % {
            "title": training.title
        }
    return None
