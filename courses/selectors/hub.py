"""The platform's home page as a hub: every association with its brand and its catalog, a
search across every catalog, and, for a signed-in learner, the next steps: trainings in
progress, upcoming events, endorsements to renew and applications under way. A fixed
number of queries."""

from dataclasses import dataclass

from django.utils.translation import get_language

from lms.endorsement.models import OPEN_STATUSES
from lms.endorsement.selectors.applications import applications_for
from lms.endorsement.selectors.portfolio import endorsements_renewing
from lms.organizations.branding import Brand, brand_for_organization
from lms.organizations.private_cohorts import hidden_private_trainings
from lms.organizations.selectors import associations

from ..models import CatalogIndexPage, HomePage, TrainingPage
from .catalog import search_ids
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


SEARCH_RESULTS = 20
MAX_QUERY = 200


def hub_search(*, query: str, user) -> list[TrainingPage]:
    """Live, public trainings of every association matching ``query``, best match first,
    without the private cohorts ``user`` may not see."""
    ids = search_ids(query=query)[: SEARCH_RESULTS * 5]
    if not ids:
        return []
    found = {
        page.pk: page
        for page in TrainingPage.objects.live()
        .public()
        .filter(pk__in=ids)
        .exclude(pk__in=hidden_private_trainings(user=user))
        .select_related("provider", "locale")
    }
    # A training and its translations or aliases may all match: each training once, where
    # its best match ranks, in the visitor's language when it has a version in it.
    language = get_language()
    chosen: dict = {}
    for pk in ids:
        page = found.get(pk)
        if page is None:
            continue
        held = chosen.get(page.translation_key)
        if held is None or (
            page.locale.language_code == language and held.locale.language_code != language
        ):
            chosen[page.translation_key] = page
    return list(chosen.values())[:SEARCH_RESULTS]


def hub_context(*, request) -> dict:
    context = {"hub_associations": hub_associations(request=request)}
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    if query:
        context["hub_query"] = query
        context["hub_results"] = hub_search(query=query, user=request.user)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        learning = my_learning(learner=user)
        context["hub_in_progress"] = learning["in_progress"][:3]
        context["hub_upcoming"] = learning["upcoming"][:3]
        context["hub_renewals"] = list(endorsements_renewing(learner=user)[:3])
        context["hub_applications"] = list(
            applications_for(learner=user).filter(status__in=OPEN_STATUSES)[:3]
        )
    return context
