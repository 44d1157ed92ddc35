"""Role changes go to the audit log from the model's signals rather than from services,
because superusers also edit memberships directly in the Wagtail admin."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .models import Membership


def _target_repr(membership) -> str:
    return f"{membership.user} as {membership.get_role_display()}"


@receiver(pre_save, sender=Membership, dispatch_uid="audit_membership_before")
def remember_previous_role(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._audit_previous_role = (
        Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
    )


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership_saved")
def membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_audit_previous_role", None)
    if not created and previous == instance.role:
        return
    record_event(
        action=AuditAction.ROLE_GRANTED if created else AuditAction.ROLE_CHANGED,
        organization=instance.organization,
        target=instance.user,
        target_repr=_target_repr(instance),
        details={"role": instance.role, **({} if created else {"previous_role": previous})},
    )


@receiver(post_delete, sender=Membership, dispatch_uid="audit_membership_deleted")
def membership_deleted(sender, instance, **kwargs):
    record_event(
        action=AuditAction.ROLE_REMOVED,
        organization=instance.organization,
        target=instance.user,
        target_repr=_target_repr(instance),
        details={"role": instance.role},
    )
