"""Registers coupons and bundles in Wagtail's admin (``admin``), scoped per association, and
writes every change to them to the audit log."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.audit.models import AuditAction
from lms.audit.snippet_hooks import audit_snippet_changes

from .admin import OffersGroup, offer_policy
from .models import Bundle, Coupon

register_permission_policy(Coupon, offer_policy(Coupon))
register_permission_policy(Bundle, offer_policy(Bundle))
register_snippet(OffersGroup)

OFFERS = (Coupon, Bundle)


audit_snippet_changes(
    OFFERS,
    action=AuditAction.OFFER_CHANGED,
    details=lambda offer: {"kind": offer._meta.model_name},
)
