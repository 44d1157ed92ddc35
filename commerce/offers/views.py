"""Bundles' public pages: an association's bundles, one bundle with its trainings, hours
and price, and Buy (an order of one BUNDLE line handed to the checkout's payment page; the
enrollments follow only from the paid order's fulfilment)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.organizations.models import Organization, OrganizationKind

from .lines import bundle_lines
from .models import Bundle
from .selectors import bundle_offer, bundles_on_sale, open_bundle_order


@require_GET
def bundles(request, slug):
    association = get_object_or_404(Organization, slug=slug, kind=OrganizationKind.ASSOCIATION)
    offers = [
        bundle_offer(bundle=bundle, person=request.user)
        for bundle in bundles_on_sale(association=association)
    ]
    return render(
        request, "commerce/offers/bundles.html", {"association": association, "offers": offers}
    )


@require_GET
def bundle(request, bundle_id):
    found = get_object_or_404(
        Bundle.objects.select_related("association"), pk=bundle_id, active=True
    )
    return render(
        request,
        "commerce/offers/bundle.html",
        {"offer": bundle_offer(bundle=found, person=request.user, detailed=True)},
    )


@login_required
@require_POST
def buy_bundle(request, bundle_id):
    """Order the bundle at the buyer's price and go to the payment page. A second click
    (or a racing one: the bundle row is locked) finds the order already placed."""
    from commerce.services.orders import place_order_once  # the checkout part; lazily

    with transaction.atomic():
        found = get_object_or_404(
            Bundle.objects.select_for_update().select_related("association"),
            pk=bundle_id,
            active=True,
        )
        offer = bundle_offer(bundle=found, person=request.user)
        if offer.all_enrolled:
            messages.info(request, _("You are already enrolled in every training of this bundle."))
            return redirect("commerce:bundle", bundle_id=found.pk)
        if not offer.payments_ready:
            messages.error(request, offer.not_configured)
            return redirect("commerce:bundle", bundle_id=found.pk)
        existing = open_bundle_order(person=request.user, bundle=found)
        if existing is not None:
            return redirect("commerce:pay", reference=existing.reference)
        try:
            order = place_order_once(
                buyer=request.user,
                association=found.association,
                lines=bundle_lines(bundle=found, member=offer.member),
                coupon_code=request.POST.get("coupon", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("commerce:bundle", bundle_id=found.pk)
    return redirect("commerce:pay", reference=order.reference)
