"""The admin's view of a platform connection's courses (Wagtail admin): each course Attune
has seen a launch from, its roster as last pulled, and a button to pull it again (Names and
Role Provisioning), which a worker does (one pull per course at a time). Only connections of
organizations whose learning platforms the user manages."""

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from lti_tool.models import LtiContext

from lms.parsing import parse_id

from ..services import roster_pulls
from ..tasks import pull_roster_after_commit
from .admin import _connection, _organizations


@require_http_methods(["GET", "POST"])
def courses(request, connection_id):
    connection = _connection(request, _organizations(request.user), str(connection_id))
    contexts = LtiContext.objects.filter(deployment__registration=connection.registration)
    if request.method == "POST":
        context = contexts.filter(pk=parse_id(request.POST.get("context", ""))).first()
        if context is None:
            messages.error(request, _("Choose a course of this platform."))
        elif pull_roster_after_commit(context=context, by=request.user):
            messages.success(
                request,
                _("Pulling the roster… Reload this page in a moment to see the result."),
            )
        else:
            messages.warning(
                request, _("This course's roster is already being pulled. Wait for the result.")
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
        {
            "connection": connection,
            "registration": connection.registration,
            "courses": roster_pulls.course_rows(contexts=listed),
        },
    )
