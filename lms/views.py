from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """Liveness and database check for load balancers and `make run`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request):
    """The 500 page in the brand of the site that failed, if that can still be read; plain
    Attune otherwise (the database may be what failed). No other query, no user menu."""
    from django.template import loader

    from lms.organizations.branding import PLATFORM, brand_for_request

    try:
        brand = brand_for_request(request)
    except Exception:  # the page must render whatever broke
        brand = PLATFORM
    body = loader.get_template("500.html").render({"brand": brand, "request": request})
    return HttpResponseServerError(body)


@login_required
def styleguide(request):
    """The living style guide: every component of the design system, rendered (staff only)."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    sections = [
        ("sg-tokens", _("Tokens")),
        ("sg-buttons", _("Buttons")),
        ("sg-forms", _("Form fields")),
        ("sg-cards", _("Cards")),
        ("sg-tables", _("Tables")),
        ("sg-badges", _("Badges")),
        ("sg-progress", _("Progress")),
        ("sg-alerts", _("Alerts")),
        ("sg-empty", _("Empty state")),
        ("sg-pagination", _("Pagination")),
        ("sg-stepper", _("Stepper")),
        ("sg-filters", _("Filters")),
    ]
    context = {"sample_form": _SampleForm(), "sections": sections, "columns": range(1, 9)}
    return render(request, "styleguide.html", context)


class _SampleForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"), help_text=_("As it should appear on certificates.")
    )
    email = forms.EmailField(label=_("Email"))
    area = forms.ChoiceField(
        label=_("Competency area"),
        choices=[("", _("Any area")), ("tf", _("Theoretical Foundations"))],
    )
    agree = forms.BooleanField(label=_("I confirm these hours"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__({"name": "", "email": "not-an-address", "area": ""}, *args, **kwargs)
