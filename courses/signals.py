"""Keep Wagtail's groups in step with memberships, association sites under review, and
reviewers told when a page awaits them."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import task_submitted

from lms.organizations.models import Membership, Organization


@receiver(post_save, sender=Membership, dispatch_uid="courses_membership_saved")
def membership_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services.access import sync_organization_access, sync_user_groups

    sync_organization_access(organization=instance.organization)
    sync_user_groups(user=instance.user)


@receiver(post_delete, sender=Membership, dispatch_uid="courses_membership_deleted")
def membership_deleted(sender, instance, **kwargs):
    from .services.access import sync_user_groups

    sync_user_groups(user=instance.user)


@receiver(post_save, sender=Organization, dispatch_uid="courses_organization_saved")
def organization_saved(sender, instance, raw=False, **kwargs):
    """A site given to (or taken from) an association changes where its groups may edit."""
    if raw or not (instance.site_id or instance.role_groups.exists()):
        return
    from .services.access import sync_organization_access
    from .services.review import ensure_review_workflow

    sync_organization_access(organization=instance)
    ensure_review_workflow(organization=instance)


@receiver(task_submitted, dispatch_uid="courses_review_submitted")
def review_submitted(sender, instance, user=None, **kwargs):
    from .models import AssociationReviewTask
    from .services.review import notify_reviewers

    if isinstance(instance.task.specific, AssociationReviewTask):
        transaction.on_commit(lambda: notify_reviewers(task_state=instance, submitted_by=user))
