"""The framework's names come translated (names only); ``localized_name`` shows them."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from lms.competencies.models import CompetencyArea, EndorsementCategory, SubArea, localized
from lms.competencies.services import FrameworkFileError, load_framework

pytestmark = pytest.mark.django_db


def test_localized_falls_back_to_the_stored_name():
    names = {"es": "Reflexión"}
    assert localized("Reflection", names, "es") == "Reflexión"
    assert localized("Reflection", names, "es-mx") == "Reflexión"
    assert localized("Reflection", names, "en") == "Reflection"
    assert localized("Reflection", {}, "es") == "Reflection"
    assert localized("Reflection", {"es": "  "}, "es") == "Reflection"


def test_every_shipped_name_has_its_spanish_and_follows_the_active_language(framework):
    for model in (CompetencyArea, SubArea, EndorsementCategory):
        assert not model.objects.filter(translated_names={}).exists(), model
    area = CompetencyArea.objects.get(framework=framework, code="TF")
    category = EndorsementCategory.objects.get(code="IMHM-C")
    with translation.override("es"):
        assert area.localized_name == "Fundamentos teóricos"
        assert str(category) == "Mentor(a) en Salud Mental Infantil – Clínico (IMHM-C)"
        assert str(SubArea.objects.get(area=area, code="TF.ATL")) == (
            "Fundamentos teóricos: Apego, separación, trauma, duelo y pérdida"
        )
    with translation.override("en"):
        assert area.localized_name == area.name == "Theoretical Foundations"
        assert str(category) == "Infant Mental Health Mentor – Clinical (IMHM-C)"


def test_loading_again_brings_translated_names_up_to_date_and_nothing_else(framework, tmp_path):
    data = json.loads(settings.ATTUNE_FRAMEWORK_FILE.read_text(encoding="utf-8"))
    data["areas"][0]["names"] = {"es": "Fundamentos de la teoría"}
    data["areas"][0]["name"] = "Changed in the file, not in the loaded version"
    data["categories"][0]["names"] = {}
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = load_framework(path=path)
    assert not result.framework_created and result.names_translated == 2
    area = CompetencyArea.objects.get(framework=framework, code="TF")
    assert area.name == "Theoretical Foundations"
    assert area.translated_names == {"es": "Fundamentos de la teoría"}
    assert EndorsementCategory.objects.get(code="IFA").translated_names == {}
    assert load_framework(path=path).names_translated == 0


def test_a_name_in_a_language_attune_does_not_offer_is_refused(tmp_path):
    data = json.loads(settings.ATTUNE_FRAMEWORK_FILE.read_text(encoding="utf-8"))
    data["areas"][1]["names"] = {"fr": "Droit"}
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FrameworkFileError) as error:
        load_framework(path=path)
    assert error.value.field_path == "$.areas[1].names.fr"
