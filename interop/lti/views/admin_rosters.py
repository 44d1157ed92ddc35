"""The admin's view of a platform connection's courses (Wagtail admin): each course Attune
has seen a launch from, its roster as last pulled, and a button to pull it again (Names and
Role Provisioning). Only connections of organizations whose integrations the user manages."""

import logging

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from lti_tool.models import LtiContext

from lms.parsing import parse_id

from ..services import roster
from .admin import _connection, _organizations

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def courses(request, connection_id):
    connection = _connection(request, _organizations(request.user), str(connection_id))
    contexts = LtiContext.objects.filter(deployment__registration=connection.registration)
    if request.method == "POST":
        context = contexts.filter(pk=parse_id(request.POST.get("context", ""))).first()
        if context is None:
            messages.error(request, _("Choose a course of this platform."))
        else:
            try:
                result = roster.sync_roster(context_id=context.pk)
            except roster.RosterError:
                messages.error(request, _("Your platform does not share this course's roster."))
            except Exception:
                logger.exception("Could not pull the roster of LTI context %s", context.pk)
                messages.error(
                    request, _("The platform did not answer. Try again in a few minutes.")
                )
            else:
                messages.success(
                    request,
                    _("Roster updated: %(members)s members, %(learners)s learners.")
                    % {"members": result.members, "learners": result.learners},
                )
        return redirect("lti_admin:courses", connection_id=connection.pk)
    listed = contexts.annotate(
        member_count=Count("roster_members", filter=Q(roster_members__is_active=True)),
        learner_count=Count(
            "roster_members",
            filter=Q(roster_members__is_active=True, roster_members__is_learner=True),
        ),
        synced_at=Max("roster_members__synced_at"),
    ).order_by("title", "id_on_platform")
    return TemplateResponse(
        request,
        "lti/admin/rosters.html",
        {"connection": connection, "registration": connection.registration, "courses": listed},
    )
