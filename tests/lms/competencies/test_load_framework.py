import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from lms.competencies.models import (
    CompetencyArea,
    CompetencyFramework,
    EndorsementCategory,
    SubArea,
)
from lms.competencies.services import FrameworkFileError, load_framework
from tests.factories import CompetencyAreaFactory, FrameworkFactory

EXPECTED_CATEGORIES = {
    "IFA", "IFS", "IMHS", "IMHM-C", "IMHM-P", "IMHM-RF",
    "ECFA", "ECFS", "ECMHS", "ECMHM-C", "ECMHM-P", "ECMHM-RF",
}  # fmt: skip


def snapshot():
    return (
        list(CompetencyFramework.objects.values().order_by("pk")),
        list(CompetencyArea.objects.values().order_by("pk")),
        list(SubArea.objects.values().order_by("pk")),
        list(SubArea.categories.through.objects.values().order_by("pk")),
        list(EndorsementCategory.objects.values().order_by("pk")),
    )


def test_shipped_framework_has_eight_areas_and_every_category(framework):
    areas = list(framework.areas.values_list("name", flat=True))
    assert len(areas) == 8
    assert areas[0] == "Theoretical Foundations"
    assert "Reflection" in areas
    assert set(EndorsementCategory.objects.values_list("code", flat=True)) == EXPECTED_CATEGORIES
    levels = dict(EndorsementCategory.objects.values_list("code", "level"))
    assert levels["IFA"] == 1 and levels["ECMHS"] == 3 and levels["IMHM-RF"] == 4


def test_sub_areas_apply_to_the_right_categories(framework):
    disorders = SubArea.objects.get(code="TF.DIS")
    codes = set(disorders.categories.values_list("code", flat=True))
    assert "IFA" not in codes and "ECFA" not in codes
    assert {"IFS", "IMHS", "IMHM-C", "ECFS"} <= codes
    reflective_supervision = SubArea.objects.get(code="DSS.RS")
    assert set(reflective_supervision.categories.values_list("level", flat=True)) == {4}


def test_loading_twice_changes_nothing(framework):
    before = snapshot()
    call_command("load_framework", verbosity=0)
    assert snapshot() == before


def test_a_new_version_never_rewrites_an_old_one(framework, tmp_path, settings):
    data = json.loads(settings.ATTUNE_FRAMEWORK_FILE.read_text())
    data["framework"]["version"] = "2030.1"
    data["framework"]["effective_date"] = "2030-01-01"
    data["areas"][0]["name"] = "Renamed foundations"
    path = tmp_path / "next.json"
    path.write_text(json.dumps(data))
    old_areas = list(framework.areas.values("code", "name"))

    result = load_framework(path=path)

    assert result.framework_created
    assert list(framework.areas.values("code", "name")) == old_areas
    assert result.framework.areas.get(code="TF").name == "Renamed foundations"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["areas"][2].pop("name"), "$.areas[2].name"),
        (lambda d: d["categories"][1].update(level=7), "$.categories[1].level"),
        (lambda d: d["categories"][0].update(age_band="teen"), "$.categories[0].age_band"),
        (lambda d: d["framework"].update(effective_date="soon"), "$.framework.effective_date"),
        (lambda d: d["areas"][1].update(code=d["areas"][0]["code"]), "$.areas[1].code"),
        (
            lambda d: d["areas"][0]["sub_areas"][0].update(categories=["NOPE"]),
            "$.areas[0].sub_areas[0].categories",
        ),
    ],
)
def test_malformed_file_names_file_and_field_and_loads_nothing(
    db, tmp_path, settings, mutate, field
):
    data = json.loads(settings.ATTUNE_FRAMEWORK_FILE.read_text())
    mutate(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError) as excinfo:
        call_command("load_framework", str(path), verbosity=0)

    assert str(path) in str(excinfo.value)
    assert field in str(excinfo.value)
    assert not CompetencyFramework.objects.exists()
    assert not EndorsementCategory.objects.exists()


def test_file_that_is_not_json_is_reported(db, tmp_path):
    path = tmp_path / "framework.json"
    path.write_text("{not json")
    with pytest.raises(FrameworkFileError, match="not valid JSON"):
        load_framework(path=path)
    assert not CompetencyFramework.objects.exists()


def test_area_codes_are_unique_within_a_framework_version(db):
    area = CompetencyAreaFactory(code="TF")
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyAreaFactory(framework=area.framework, code="TF")
    CompetencyAreaFactory(framework=FrameworkFactory(), code="TF")  # another version may reuse it


def test_framework_versions_are_unique(db):
    FrameworkFactory(name="G", version="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkFactory(name="G", version="1")
