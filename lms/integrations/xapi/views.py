"""The learning record store screen in Wagtail's admin: an association's administrators
set its LRS (endpoint, key, secret, version, on/off), test the connection and see what
waits to be sent. Only for the associations whose integrations the user manages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from . import services
from .forms import StoreForm
from .models import LearningRecordStore, XapiStatement
from .selectors import store_of


def _managed(user):
    associations = organizations_where(user=user, action=Action.MANAGE_INTEGRATIONS)
    if not associations.exists():
        raise PermissionDenied
    return associations


def stores(request):
    """Each association the user manages, with its store's state."""
    associations = list(_managed(request.user).order_by("name"))
    by_association = {
        s.association_id: s
        for s in LearningRecordStore.objects.filter(association__in=associations)
    }
    rows = [(a, by_association.get(a.pk)) for a in associations]
    return TemplateResponse(request, "integrations/xapi_stores.html", {"rows": rows})


def _counts(store) -> dict:
    if store is None:
        return {}
    return dict(
        XapiStatement.objects.filter(store=store)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


@require_http_methods(["GET", "POST"])
def store(request, association_id: int):
    association = _managed(request.user).filter(pk=association_id).first()
    if association is None:
        raise Http404
    current = store_of(association=association)
    initial = (
        {
            "endpoint": current.endpoint,
            "key": current.key,
            "version": current.version,
            "is_active": current.is_active,
            "share_email": current.share_email,
        }
        if current
        else {"version": "1.0.3"}
    )
    form = StoreForm(initial=initial)
    check = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test" and current is not None:
            check = services.test_connection(store=current, by=request.user)
        elif action == "save":
            form = StoreForm(request.POST)
            if form.is_valid():
                try:
                    services.save_store(
                        association=association, by=request.user, **form.cleaned_data
                    )
                except ValidationError as exc:
                    form.add_service_errors(exc)
                else:
                    messages.success(
                        request,
                        _("The learning record store of %(association)s was saved.")
                        % {"association": association.name},
                    )
                    return redirect("integrations_admin:xapi_store", association_id=association.pk)
        else:
            raise PermissionDenied
    response = TemplateResponse(
        request,
        "integrations/xapi_store.html",
        {
            "association": association,
            "store": current,
            "form": form,
            "check": check,
            "counts": _counts(current),
        },
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response
