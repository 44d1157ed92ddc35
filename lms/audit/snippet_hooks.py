"""Every change an association's admin makes to one of its snippets (membership plans, coupons,
bundles, membership-system sign-in) goes to the audit log: one registration of Wagtail's snippet
hooks per kind of snippet."""

from wagtail import hooks

from lms.audit.services import record_event


def audit_snippet_changes(models: tuple, *, action, details, owner_field="association") -> None:
    """Record ``action`` with ``details(instance)`` when one of ``models`` is created, edited
    or deleted through the snippet views; the organization is the one ``owner_field`` names."""

    def audit(request, instance, change: str) -> None:
        record_event(
            action=action,
            organization=getattr(instance, owner_field),
            target=instance,
            request=request,
            details={"change": change, **details(instance)},
        )

    def created(request, instance):
        if isinstance(instance, models):
            audit(request, instance, "created")

    def changed(request, instance):
        if isinstance(instance, models):
            audit(request, instance, "changed")

    def deleted(request, instances):
        for instance in instances:
            if isinstance(instance, models):
                audit(request, instance, "deleted")

    hooks.register("after_create_snippet", created)
    hooks.register("after_edit_snippet", changed)
    hooks.register("after_delete_snippet", deleted)
