from django.db.models import QuerySet
from django.utils import timezone

from .models import CompetencyArea, CompetencyFramework, EndorsementCategory


def current_framework(*, on=None) -> CompetencyFramework | None:
    """The framework version in effect on ``on`` (today by default)."""
    day = on or timezone.localdate()
    return (
        CompetencyFramework.objects.filter(effective_date__lte=day)
        .order_by("-effective_date", "-id")
        .first()
    )


def current_areas(*, on=None) -> QuerySet[CompetencyArea]:
    framework = current_framework(on=on)
    if framework is None:
        return CompetencyArea.objects.none()
    return CompetencyArea.objects.filter(framework=framework).order_by("order", "code")


def categories() -> QuerySet[EndorsementCategory]:
    return EndorsementCategory.objects.order_by("age_band", "order", "code")
