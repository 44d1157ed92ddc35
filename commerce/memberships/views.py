"""Members' pages: an association's plans (public) with Join/Renew, the learner's own
memberships and receipts, and paying an endorsement application's fee. Each POST places an
order through ``commerce.services.orders`` and hands over to the checkout's payment page;
the membership or the fee follows only from the paid order's fulfilment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.endorsement.models import Application
from lms.endorsement.services.fees import fix_fee
from lms.money import currency_of, format_money
from lms.organizations.models import Organization, OrganizationKind

from .models import MembershipPlan
from .selectors import active_membership, memberships_of, plans_offered


def _pay(request, order):
    try:
        return redirect("commerce:pay", reference=order.reference)
    except NoReverseMatch:
        # The checkout's payment page is not wired (yet): say so rather than fail.
        messages.error(request, _("Online payment is not available yet. Nothing was charged."))
        return redirect("commerce:my_memberships")


@require_GET
def plans(request, slug):
    association = get_object_or_404(Organization, slug=slug, kind=OrganizationKind.ASSOCIATION)
    current = active_membership(person=request.user, association=association)
    currency = currency_of(association)
    offered = [
        {"plan": plan, "dues": format_money(plan.annual_dues, currency)}
        for plan in plans_offered(association=association)
    ]
    return render(
        request,
        "commerce/memberships/plans.html",
        {"association": association, "plans": offered, "current": current},
    )


@login_required
@require_POST
def join(request, plan_id):
    """Join (or renew with) a plan: an order of one MEMBERSHIP line at the plan's dues."""
    from commerce.models.orders import LineKind
    from commerce.services.orders import LineSpec, place_order

    plan = get_object_or_404(
        MembershipPlan.objects.select_related("association"), pk=plan_id, active=True
    )
    association = plan.association
    current = active_membership(person=request.user, association=association)
    if current is None:
        words = _("%(association)s membership: %(plan)s")
    else:
        words = _("%(association)s membership renewal: %(plan)s")
    description = words % {"association": association.name, "plan": plan.name}
    try:
        order = place_order(
            buyer=request.user,
            association=association,
            lines=[LineSpec(LineKind.MEMBERSHIP, plan.pk, description, plan.annual_dues)],
            coupon_code=request.POST.get("coupon", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("commerce:membership_plans", association.slug)
    return _pay(request, order)


def _receipt_url(order) -> str:
    # The receipt belongs to the invoicing part; until it exists the list shows no link.
    try:
        return reverse("commerce:receipt", kwargs={"reference": order.reference})
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def mine(request):
    """The learner's memberships and their paid orders, each with its receipt."""
    from commerce.models.orders import Order, OrderStatus

    memberships = list(memberships_of(person=request.user))
    paid = (
        Order.objects.filter(buyer=request.user)
        .exclude(status__in=[OrderStatus.PENDING, OrderStatus.FAILED, OrderStatus.CANCELLED])
        .select_related("association")
        .prefetch_related("lines")
        .order_by("-paid_at", "-pk")[:100]
    )
    orders = [
        {
            "order": order,
            "total": format_money(order.total, order.currency),
            "receipt_url": _receipt_url(order),
        }
        for order in paid
    ]
    return render(
        request,
        "commerce/memberships/mine.html",
        {"memberships": memberships, "orders": orders},
    )


@login_required
@require_POST
def pay_application_fee(request, application_id):
    """The applicant pays their application's fee: an order of one FEE line."""
    from commerce.models.orders import LineKind
    from commerce.services.orders import LineSpec, place_order

    application = (
        Application.objects.select_related("association", "category")
        .filter(pk=application_id, learner=request.user)
        .first()
    )
    if application is None:
        raise Http404
    back = reverse("endorsement:application", args=[application.pk])
    try:
        fee = fix_fee(application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if fee is None or fee.is_settled:
        messages.info(request, _("This application has no fee to pay."))
        return redirect(back)
    description = _("%(association)s endorsement fee: %(code)s application") % {
        "association": application.association.name,
        "code": application.category.code,
    }
    try:
        order = place_order(
            buyer=request.user,
            association=application.association,
            lines=[LineSpec(LineKind.FEE, application.pk, description, fee.amount)],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return _pay(request, order)
