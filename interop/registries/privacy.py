"""The IDs a person gave Attune for their state registries, in their download; erasure
deletes them (associations' registry rosters then show the ID as missing). Registered with
``lms.accounts.privacy`` from ``RegistriesConfig.ready()``."""

from django.utils.translation import gettext_lazy

from lms.accounts.privacy import register_section

from .formats import registry_format
from .models import LearnerRegistryId


def export_registry_ids(*, user):
    return [
        {
            "registry": _registry_name(row.registry),
            "registry_id": row.registry_id,
            "updated_at": row.updated_at,
        }
        for row in LearnerRegistryId.objects.filter(learner=user).order_by("registry")
    ]


def _registry_name(code: str) -> str:
    registry = registry_format(code)
    return str(registry.name) if registry is not None else code


def erase_registry_ids(*, user, anonymous_id):
    LearnerRegistryId.objects.filter(learner=user).delete()


def register() -> None:
    register_section(
        "registry_ids",
        description=gettext_lazy("Your IDs in state workforce registries"),
        export=export_registry_ids,
        erase=erase_registry_ids,
    )
