"""Registers coupons and bundles in Wagtail's admin (``admin``), scoped per association, and
writes every change to them to the audit log."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from .admin import OffersGroup, offer_policy
from .models import Bundle, Coupon

register_permission_policy(Coupon, offer_policy(Coupon))
register_permission_policy(Bundle, offer_policy(Bundle))
register_snippet(OffersGroup)

OFFERS = (Coupon, Bundle)


def _audit(request, instance, change: str) -> None:
    record_event(
        action=AuditAction.OFFER_CHANGED,
        organization=instance.association,
        target=instance,
        request=request,
        details={"change": change, "kind": instance._meta.model_name},
    )


@hooks.register("after_create_snippet")
def audit_offer_created(request, instance):
    if isinstance(instance, OFFERS):
        _audit(request, instance, "created")


@hooks.register("after_edit_snippet")
def audit_offer_changed(request, instance):
    if isinstance(instance, OFFERS):
        _audit(request, instance, "changed")


@hooks.register("after_delete_snippet")
def audit_offer_deleted(request, instances):
    for instance in instances:
        if isinstance(instance, OFFERS):
            _audit(request, instance, "deleted")
