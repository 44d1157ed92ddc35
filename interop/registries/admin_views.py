"""The association's registry screens in Wagtail's admin: which registries it reports to
(with its sponsor ID in each), and the roster export: choose a training, a registry and a
date range, see which rows the registry would reject and why, then download the file.

Each screen acts only on the associations the signed-in user may act for: another
association's training or settings are a 404, and someone who may not report a 403.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.menu import MenuItem

from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where, user_can

from .formats import registry_format, registry_formats
from .forms import AssociationRegistriesForm, EventIdForm, RosterForm
from .selectors import (
    REPORT,
    configurable_associations,
    event_id_of,
    registries_of,
    reporting_associations,
    roster,
    trainings_of,
)
from .services import export_roster, set_association_registries, set_training_event_id

ROSTER_FIELDS = ("training", "registry", "start", "end")
ID = re.compile(r"[0-9]{1,18}")  # ASCII digits, small enough for the database


def _reporting(user) -> list:
    associations = list(reporting_associations(user=user).select_related("site__root_page"))
    if not associations:
        raise PermissionDenied
    return associations


def _scoped_trainings(associations, data):
    """The trainings one may report on; a training id outside them is a 404 (not a form
    error), so that nobody learns another association's trainings by trying ids."""
    trainings = trainings_of(associations=associations)
    chosen = data.get("training")
    if chosen and (not ID.fullmatch(str(chosen)) or not trainings.filter(pk=chosen).exists()):
        raise Http404("No such training among those you report on.")
    return trainings


def _roster_from(form, associations):
    """The roster the valid ``form`` asks for, or None with the form's error added."""
    training = form.cleaned_data["training"]
    association = training.owning_association
    if association not in associations:
        raise Http404("No such training among those you report on.")
    code = form.cleaned_data["registry"]
    if code not in registries_of(association=association):
        form.add_error(
            "registry",
            _(
                "%(association)s does not report to %(registry)s yet: an administrator adds its "
                "sponsor ID under Registry settings."
            )
            % {"association": association.name, "registry": registry_format(code).name},
        )
        return None
    return roster(
        association=association,
        training=training,
        registry=registry_format(code),
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )


@require_GET
def export(request):
    associations = _reporting(request.user)
    trainings = _scoped_trainings(associations, request.GET)
    bound = any(request.GET.get(name) for name in ROSTER_FIELDS)
    form = RosterForm(request.GET if bound else None, trainings=trainings)
    found = _roster_from(form, associations) if bound and form.is_valid() else None
    event_form = None
    if found is not None and user_can(
        user=request.user, action=Action.EDIT_TRAINING, organization=found.association
    ):
        event_form = EventIdForm(
            auto_id="event_%s",  # beside the roster form's fields of the same names
            initial={
                "training": found.training.pk,
                "registry": found.registry.code,
                "event_id": event_id_of(training=found.training, registry=found.registry.code),
            },
        )
    return TemplateResponse(
        request,
        "registries/admin/export.html",
        {
            "form": form,
            "roster": found,
            "event_form": event_form,
            "query": {name: request.GET.get(name, "") for name in ROSTER_FIELDS},
            "can_configure": can_anywhere(user=request.user, action=Action.MANAGE_INTEGRATIONS),
        },
        status=400 if bound and form.errors else 200,
    )


@require_POST
def download(request):
    associations = _reporting(request.user)
    trainings = _scoped_trainings(associations, request.POST)
    form = RosterForm(request.POST, trainings=trainings)
    found = _roster_from(form, associations) if form.is_valid() else None
    if found is None:
        messages.error(request, _("Choose a training, a registry and a date range first."))
        return redirect("registries_admin:export")
    filename, content = export_roster(roster=found, by=request.user, request=request)
    response = HttpResponse(content, content_type=f"text/csv; charset={found.registry.encoding}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def event_id(request):
    form = EventIdForm(request.POST)
    if not form.is_valid() or registry_format(form.cleaned_data["registry"]) is None:
        messages.error(request, _("Nothing was saved: the form was incomplete."))
        return redirect("registries_admin:export")
    editable = organizations_where(user=request.user, action=Action.EDIT_TRAINING)
    training = (
        trainings_of(associations=list(editable)).filter(pk=form.cleaned_data["training"]).first()
    )
    if training is None:
        raise Http404("No such training among those you edit.")
    try:
        set_training_event_id(
            training=training,
            registry=form.cleaned_data["registry"],
            event_id=form.cleaned_data["event_id"],
            by=request.user,
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The registry event ID was saved."))
    query = {name: request.POST.get(name, "") for name in ROSTER_FIELDS}
    query["training"] = training.pk
    return redirect(reverse("registries_admin:export") + "?" + urlencode(query))


@require_http_methods(["GET", "POST"])
def settings(request):
    associations = list(configurable_associations(user=request.user))
    if not associations:
        raise PermissionDenied
    slug = request.POST.get("association") or request.GET.get("association")
    association = associations[0]
    if slug:
        association = next((a for a in associations if a.slug == slug), None)
        if association is None:
            raise Http404("No such association among those you manage.")
    current = {code: row.sponsor_id for code, row in registries_of(association=association).items()}
    form = AssociationRegistriesForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            set_association_registries(
                association=association,
                by=request.user,
                sponsor_ids={code: form.cleaned_data[code] for code in registry_formats()},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The registries of %(association)s were saved.")
                % {"association": association.name},
            )
            return redirect(
                reverse("registries_admin:settings")
                + "?"
                + urlencode({"association": association.slug})
            )
    return TemplateResponse(
        request,
        "registries/admin/settings.html",
        {
            "form": form,
            "association": association,
            "associations": associations if len(associations) > 1 else [],
            "formats": registry_formats(),
        },
        status=400 if form.errors else 200,
    )


class ReportingMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=REPORT)


class RegistrySettingsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.MANAGE_INTEGRATIONS)
