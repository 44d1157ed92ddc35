"""The catalog's suggester (``courses.suggestions``) as the portfolio page passes it to
endorsement's ``suggested_trainings``."""

from decimal import Decimal as D

import pytest

from courses.suggestions import suggest_trainings_for_areas
from lms.competencies.models import EndorsementCategory
from lms.endorsement.selectors.suggestions import suggested_trainings
from tests.courses.factories import association, training

pytestmark = pytest.mark.django_db

catalog = suggest_trainings_for_areas


@pytest.fixture
def catalogs(framework, default_site):
    return association("lakes"), association("plains")


def test_live_public_trainings_covering_the_areas_own_catalog_first(
    catalogs, django_assert_max_num_queries
):
    lakes, plains = catalogs
    training(plains, "Policy in depth", hours={"LRP": "3"})
    training(lakes, "Policy basics", hours={"LRP": "1", "TF": "1"})
    training(lakes, "Only theory", hours={"TF": "2"})
    training(lakes, "Draft on systems", hours={"SE": "2"}, publish=False)
    training(plains, "Toddlers and systems", hours={"SE": "1.5"}, age_band="early_childhood")
    infant = EndorsementCategory.objects.get(code="IFS")

    # Warm Wagtail's site cache.
    suggested_trainings(suggester=catalog, area_codes=["LRP"], association=lakes)
    with django_assert_max_num_queries(4):
        found = suggested_trainings(
            suggester=catalog, area_codes=["LRP", "SE"], category=infant, association=lakes, limit=5
        )
    assert [s.title for s in found] == ["Policy basics", "Policy in depth"]
    basics = found[0]
    assert basics.hours_by_area == {"LRP": D("1.00"), "TF": D("1.00")}
    assert basics.fills(["LRP", "SE"]) == [("LRP", D("1.00"))]
    assert basics.provider == lakes.name
    assert basics.url.endswith("/policy-basics/")

    anywhere = suggested_trainings(suggester=catalog, area_codes=["SE"], limit=5)
    assert [s.title for s in anywhere] == ["Toddlers and systems"]
    assert (
        suggested_trainings(suggester=catalog, area_codes=["LRP", "SE"], limit=1)[0].title
        == "Policy in depth"
    )
