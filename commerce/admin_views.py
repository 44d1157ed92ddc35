"""The association administrator's payment screens in Wagtail's admin: its Stripe account
(keys, on/off, the webhook URL to give Stripe, a connection check) and its orders (list,
one order with its lines, payments, refunds and history, and the refund form).

Each screen acts only on the associations whose payments the signed-in user manages
(``Action.MANAGE_PAYMENTS``): another association's account or order is a 404. Writes are
POSTs calling one service each; a refused one says why and changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from lms.money import format_money
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere

from . import stripe_gateway as gateway
from .admin_forms import OrderFilterForm, RefundForm, StripeSettingsForm
from .models import MerchantAccount
from .selectors import admin_order, order_history, orders_for_admin, paying_associations
from .services.merchant import configure_merchant
from .services.refunds import REFUNDABLE, refund_order

ORDERS_PER_PAGE = 50


class PaymentsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.MANAGE_PAYMENTS)


def _associations(user):
    associations = paying_associations(user=user).order_by("name")
    if not associations.exists():
        raise PermissionDenied
    return associations


def _association(user, slug):
    association = _associations(user).filter(slug=slug).first()
    if association is None:
        raise Http404
    return association


# Stripe settings ---------------------------------------------------------------------------


@require_GET
def stripe_index(request):
    associations = list(_associations(request.user))
    if len(associations) == 1:
        return redirect("stripe_admin:edit", slug=associations[0].slug)
    accounts = {
        a.association_id: a for a in MerchantAccount.objects.filter(association__in=associations)
    }
    rows = [(association, accounts.get(association.pk)) for association in associations]
    return TemplateResponse(request, "commerce/admin/stripe_index.html", {"rows": rows})


def _stripe_page(request, association, form, status=200):
    account = MerchantAccount.objects.filter(association=association).first()
    webhook = reverse("commerce:stripe_webhook", kwargs={"slug": association.slug})
    context = {
        "association": association,
        "account": account,
        "form": form,
        "webhook_url": request.build_absolute_uri(webhook),
        "currency": getattr(association, "currency", "") or "USD",
        "several": _associations(request.user).count() > 1,
    }
    return TemplateResponse(request, "commerce/admin/stripe_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def stripe_edit(request, slug):
    association = _association(request.user, slug)
    account = MerchantAccount.objects.filter(association=association).first()
    form = StripeSettingsForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            configure_merchant(
                association=association,
                by=request.user,
                publishable_key=data["publishable_key"],
                secret_key=data["secret_key"],
                webhook_secret=data["webhook_secret"],
                enabled=data["enabled"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The Stripe settings are saved."))
            return redirect("stripe_admin:edit", slug=association.slug)
    return _stripe_page(request, association, form, status=400 if form.is_bound else 200)


@require_POST
def stripe_check(request, slug):
    """Ask Stripe with the stored secret key whether it answers; says what it found."""
    association = _association(request.user, slug)
    problem = gateway.check_connection(association=association)
    if problem:
        messages.error(request, _("The connection to Stripe failed. %(why)s") % {"why": problem})
    else:
        messages.success(request, _("Stripe answered: the secret key works."))
    return redirect("stripe_admin:edit", slug=association.slug)


# Orders ------------------------------------------------------------------------------------


@require_GET
def orders(request):
    associations = _associations(request.user)
    form = OrderFilterForm(request.GET, associations=associations)
    found = orders_for_admin(user=request.user, **form.filters())
    page = Paginator(found, ORDERS_PER_PAGE).get_page(request.GET.get("p"))
    rows = [(order, format_money(order.total, order.currency)) for order in page]
    query = request.GET.copy()
    query.pop("p", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return TemplateResponse(request, "commerce/admin/orders.html", context)


def _order(request, reference):
    _associations(request.user)
    order = admin_order(user=request.user, reference=reference)
    if order is None:
        raise Http404
    return order


def _order_page(request, order, refund_form=None, status=200):
    cur = order.currency
    lines = [
        (line, format_money(line.unit_amount, cur), format_money(line.amount, cur))
        for line in order.lines.all()
    ]
    refundable = order.status in REFUNDABLE and bool(order.stripe_payment_intent)
    context = {
        "order": order,
        "lines": lines,
        "amounts": {
            "subtotal": format_money(order.subtotal, cur),
            "discount": format_money(order.discount, cur) if order.discount else "",
            "total": format_money(order.total, cur),
            "refunded": format_money(order.refunded, cur),
            "balance": format_money(order.balance, cur),
        },
        "refunds": [(r, format_money(r.amount, cur)) for r in order.refunds.all()],
        "stripe_events": sorted(order.stripe_events.all(), key=lambda e: e.received_at),
        "history": order_history(order=order).select_related("actor"),
        "refundable": refundable,
        "refund_form": refund_form or (RefundForm(order=order) if refundable else None),
    }
    return TemplateResponse(request, "commerce/admin/order.html", context, status=status)


@require_GET
def order(request, reference):
    return _order_page(request, _order(request, reference))


@require_POST
def refund(request, reference):
    order = _order(request, reference)
    form = RefundForm(request.POST, order=order)
    if form.is_valid():
        data = form.cleaned_data
        try:
            refund_order(
                order=order,
                amount=data["amount"],
                by=request.user,
                reason=data["reason"],
                revoke=data["access"] == "cancel",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(amount)s is refunded to the buyer's card.")
                % {"amount": format_money(data["amount"], order.currency)},
            )
            return redirect("orders_admin:order", reference=order.reference)
    order = _order(request, reference)  # as it is now, after a refusal
    return _order_page(request, order, refund_form=form, status=400)
