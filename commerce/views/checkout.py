"""The buyer's screens: buy a training, pay an order, see its status.

Thin: each view checks who is asking, calls a service and answers. Only the buyer may see
or pay their order (anyone else gets a 404, as if it did not exist).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import TrainingPage
from courses.selectors.enrollment import purchase_refusal

from ..models import LineKind, Order, OrderStatus
from ..selectors import order_view, ready_merchant, training_offer
from ..services.orders import LineSpec, apply_coupon, is_abandoned, place_order_once
from ..services.payments import not_configured_message, pay_with_card, settle_free_order


def _own_order(request, reference) -> Order:
    order = (
        Order.objects.select_related("association")
        .filter(reference=reference, buyer=request.user)
        .first()
    )
    if order is None:
        raise Http404
    return order


def _validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def buy_training(request, training_id):
    """Place an order for a paid training at the buyer's price (member or not) and go to
    the payment page. A second click finds the order it already placed."""
    training = get_object_or_404(TrainingPage, pk=training_id, live=True).specific
    offer = training_offer(training=training, person=request.user)
    if offer is None or not offer.paid:
        return redirect(training.url or "/")
    if offer.enrolled:
        messages.info(request, _("You are already enrolled in this training."))
        return redirect(training.url)
    if not offer.payments_ready:
        messages.error(request, not_configured_message())
        return redirect(training.url)
    refusal = purchase_refusal(training=training)
    if refusal:
        messages.error(request, refusal)
        return redirect(training.url)
    if offer.open_order is not None:
        return redirect("commerce:pay", reference=offer.open_order.reference)
    line = LineSpec(LineKind.TRAINING, training.pk, training.title, offer.price)
    try:
        order = place_order_once(
            buyer=request.user,
            association=offer.association,
            lines=[line],
            coupon_code=request.POST.get("coupon", ""),
        )
    except ValidationError as error:
        messages.error(request, _validation_message(error))
        return redirect(training.url)
    return redirect("commerce:pay", reference=order.reference)


def _allows_stripe(view):
    """Stripe.js may run on the payment page only: where it comes from and talks to (its
    script, frames and API) join this response's content security policy."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = sorted(
            {
                "{0.scheme}://{0.netloc}".format(urlsplit(url))
                for url in (settings.STRIPE_JS_URL, settings.STRIPE_API_BASE)
            }
        )
        response._csp_update = {
            "script-src": origins,
            "connect-src": origins,
            "frame-src": origins,
        }
        return response

    return wrapped


@login_required
@require_http_methods(["GET", "POST"])
@_allows_stripe
def pay(request, reference):
    order = _own_order(request, reference)
    if request.method == "POST":
        return _pay(request, order)
    if order.status != OrderStatus.PENDING or is_abandoned(order):
        return redirect("commerce:order", reference=order.reference)
    merchant = ready_merchant(association=order.association)
    ready = merchant is not None
    context = order_view(order=order)
    context.update(
        {
            "payments_ready": ready,
            "not_configured": "" if ready else not_configured_message(),
            "publishable_key": merchant.publishable_key if ready else "",
            "stripe_js_url": settings.STRIPE_JS_URL,
        }
    )
    return render(request, "commerce/pay.html", context)


def _pay(request, order: Order):
    wants_json = "application/json" in request.headers.get("Accept", "")
    if order.total == 0 and order.status == OrderStatus.PENDING:
        settle_free_order(order=order)
        outcome_status, message, secret = "processing", "", ""
    else:
        outcome = pay_with_card(order=order, card_token=request.POST.get("token", ""))
        outcome_status, message, secret = outcome.status, outcome.message, outcome.client_secret
    status_url = reverse("commerce:order", kwargs={"reference": order.reference})
    if wants_json:
        return JsonResponse(
            {"status": outcome_status, "message": message, "client_secret": secret,
             "redirect": status_url},
            status=200 if outcome_status in ("processing", "requires_action") else 402,
        )  # fmt: skip
    if outcome_status == "processing":
        return redirect(status_url)
    messages.error(request, message or _("The payment could not be made."))
    return redirect("commerce:pay", reference=order.reference)


@login_required
@require_POST
def coupon(request, reference):
    order = _own_order(request, reference)
    try:
        apply_coupon(order=order, code=request.POST.get("coupon", ""))
    except ValidationError as error:
        messages.error(request, _validation_message(error))
    else:
        if order.coupon_code or request.POST.get("coupon", "").strip():
            messages.success(request, _("Coupon applied."))
        else:
            messages.success(request, _("Coupon removed."))
    return redirect("commerce:pay", reference=order.reference)


@login_required
@require_GET
def order_status(request, reference):
    """Where the buyer lands after paying: it reloads itself until Stripe's webhook has
    settled the order (it never settles anything itself)."""
    order = _own_order(request, reference)
    context = order_view(order=order)
    context["waiting"] = order.status == OrderStatus.PENDING and not is_abandoned(order)
    return render(request, "commerce/order.html", context)
