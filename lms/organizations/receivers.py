"""Role changes go to the audit log from the model's signals rather than from services,
because superusers also edit memberships directly in the Wagtail admin. For the same reason
an association's site gets its single sign-on client registration when the site is set."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Site

from lms.accounts.sso.clients import register_site_client
from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .models import Membership, Organization, OrganizationKind


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


@receiver(post_save, sender=Organization, dispatch_uid="sso_client_for_association_site")
def association_site_saved(sender, instance, raw=False, **kwargs):
    """Idempotent: brings the registration up to date (e.g. the site's address changed)."""
    if raw or instance.site_id is None or instance.kind != OrganizationKind.ASSOCIATION:
        return
    register_site_client(site=instance.site, name=instance.display_name)


@receiver(post_save, sender=Site, dispatch_uid="sso_client_for_site_address")
def site_saved(sender, instance, raw=False, **kwargs):
    """A site's address changed in Wagtail's Sites screen: its redirect URI follows."""
    if raw:
        return
    organization = Organization.objects.filter(
        site=instance, kind=OrganizationKind.ASSOCIATION
    ).first()
    if organization is not None:
        register_site_client(site=instance, name=organization.display_name)
