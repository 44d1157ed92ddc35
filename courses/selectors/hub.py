"""The platform's home page as a hub: every association with its brand and its catalog, and,
for a signed-in learner, the trainings in progress. A fixed number of queries."""

from dataclasses import dataclass

from lms.organizations.branding import Brand, brand_for_organization
from lms.organizations.selectors import associations

from ..models import CatalogIndexPage, HomePage
from .learning import my_learning


@dataclass(frozen=True)
class HubAssociation:
    brand: Brand
    home_url: str
    catalog_url: str
    intro: str


def hub_associations(*, request) -> list[HubAssociation]:
    orgs = list(associations().filter(site__isnull=False).select_related("site__root_page", "logo"))
    catalogs = list(CatalogIndexPage.objects.live().filter(depth=3))
    intros = dict(
        HomePage.objects.filter(pk__in=[o.site.root_page_id for o in orgs]).values_list(
            "pk", "intro"
        )
    )
    found = []
    for org in sorted(orgs, key=lambda o: o.name):
        root = org.site.root_page
        catalog = next((c for c in catalogs if c.path.startswith(root.path)), None)
        found.append(
            HubAssociation(
                brand=brand_for_organization(org),
                home_url=org.site.root_url + "/",
                catalog_url=(catalog.get_url(request) if catalog else "") or "",
                intro=intros.get(root.pk, ""),
            )
        )
    return found


def hub_context(*, request) -> dict:
    context = {"hub_associations": hub_associations(request=request)}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        learning = my_learning(learner=user)
        context["hub_in_progress"] = learning["in_progress"][:3]
        context["hub_upcoming"] = learning["upcoming"][:3]
    return context
