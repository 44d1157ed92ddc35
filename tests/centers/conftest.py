import pytest

from tests.courses.factories import training


@pytest.fixture
def course(great_lakes):
    return training(great_lakes, "Reading a baby's cues", require_evaluation=False)
