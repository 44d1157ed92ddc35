"""The content picker a platform opens for Deep Linking, and the roster of a platform course.

Both are scoped to the LTI launch this browser session holds (django-lti keeps its id in the
session; the launch view put it there): no Attune sign-in is needed, and nothing of another
organization's, platform's or course's is reachable. Only the course's instructors and
administrators (their LTI roles in that launch) get either page.
"""

import logging
from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from lti_tool.constants import SESSION_KEY
from lti_tool.models import LtiContext, LtiRegistration
from lti_tool.utils import get_launch_from_request, sync_data_from_launch
from pylti1p3.exception import LtiException

from ..models import PlatformConnection
from ..models_services import RosterPullError
from ..services import deep_linking, roster, roster_pulls
from ..services.keys import tool_key
from .embedding import embeddable

logger = logging.getLogger(__name__)

DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DEPLOYMENT = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
MESSAGE_TYPE = "https://purl.imsglobal.org/spec/lti/claim/message_type"
# The signed response of each launch, kept so that a second submit sends the same one.
ANSWERED = "interop_lti_deep_link_answers"


class NotAllowed(Exception):
    def __init__(self, title: str, explanation: str, status: int = 403):
        super().__init__(title)
        self.title, self.explanation, self.status = title, explanation, status


def _refused(request, error: NotAllowed):
    return render(
        request,
        "lti/deep_linking_refused.html",
        {"title": error.title, "explanation": error.explanation},
        status=error.status,
    )


def _launch_data(request) -> tuple[str, dict]:
    launch_id = request.session.get(SESSION_KEY)
    if not launch_id:
        raise NotAllowed(
            _("Open this page from your course"),
            _("This page belongs to a launch from your learning platform. Open it again there."),
        )
    try:
        data = get_launch_from_request(request, launch_id).get_launch_data() or {}
    except LtiException as error:
        raise NotAllowed(
            _("Open this page from your course"),
            _("The launch from your learning platform has expired. Open it again there."),
        ) from error
    return launch_id, data


def _connection(data: dict) -> tuple[LtiRegistration, PlatformConnection]:
    audience = data.get("aud")
    client_id = audience[0] if isinstance(audience, list) else audience
    connection = (
        PlatformConnection.objects.select_related("registration", "organization")
        .filter(
            registration__issuer=data.get("iss"),
            registration__client_id=client_id,
            registration__is_active=True,
        )
        .first()
    )
    if connection is None:
        raise NotAllowed(
            _("Attune does not know this platform"),
            _("No active connection in Attune has this platform. Ask your administrator."),
        )
    return connection.registration, connection


def _teacher(data: dict) -> None:
    if not deep_linking.may_deep_link(data.get(ROLES)):
        raise NotAllowed(
            _("Only instructors can do this"),
            _(
                "Choosing content and reading the roster are for the course's instructors "
                "and administrators. Your role in this course does not include them."
            ),
        )


def deep_linking_launch(request, lti_launch):
    """A validated LtiDeepLinkingRequest (handed over by ``views.launch``): keep the launch
    in this session and show the picker (instructors only)."""
    request.session[SESSION_KEY] = lti_launch.get_launch_id()
    if deep_linking.may_deep_link(lti_launch.roles_claim):
        # The course and the instructor's membership, as a resource launch records them: the
        # roster page finds the course by them.
        sync_data_from_launch(lti_launch)
    return _picker(request, submitted=False)


def _posts_to_platform(view):
    """The answer page's form posts to the platform: its origin joins the policy's
    form-action (after ``embeddable`` set the frame-ancestors)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origin = getattr(response, "_lti_return_origin", None)
        if origin:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            response._csp_update = update
        return response

    return wrapped


@_posts_to_platform
@embeddable
@never_cache
@require_http_methods(["GET", "POST"])
def picker(request):
    return _picker(request, submitted=request.method == "POST")


def _picker(request, *, submitted: bool):
    """GET: the organization's trainings and modules, searchable. POST: the signed answer,
    sent to the platform by the browser (auto-submitted, or with the button)."""
    try:
        launch_id, data = _launch_data(request)
        if data.get(MESSAGE_TYPE) != "LtiDeepLinkingRequest":
            raise NotAllowed(
                _("Choose content from your course's editor"),
                _("Open Attune from the platform's content picker to add trainings."),
                status=400,
            )
        _teacher(data)
        registration, connection = _connection(data)
    except NotAllowed as error:
        return _refused(request, error)
    settings = data.get(DL_SETTINGS) or {}
    organization = connection.organization
    query = (request.GET.get("q") or "")[:200]
    error = ""
    if submitted:
        answered = request.session.get(ANSWERED, {})
        jwt = answered.get(launch_id)
        if jwt is None:
            try:
                picks = deep_linking.picked(
                    organization=organization,
                    training_ids=request.POST.getlist("training"),
                    module_ids=request.POST.getlist("module"),
                )
            except deep_linking.DeepLinkingError:
                picks = None
                error = _("Something you chose is no longer available. Choose again.")
            if picks is not None and not picks:
                error = _("Choose at least one training or module.")
            elif (
                picks
                and not settings.get("accept_multiple", True)
                and (len(picks.trainings) + len(picks.modules) > 1)
            ):
                error = _("This course accepts one item at a time. Choose one.")
            if not error:
                tool_key()
                jwt = deep_linking.response_jwt(
                    registration=registration,
                    deployment_id=data.get(DEPLOYMENT, ""),
                    settings=settings,
                    items=deep_linking.resources(
                        picks=picks,
                        launch_url=request.build_absolute_uri(reverse("interop_lti:launch")),
                    ),
                )
                answered[launch_id] = jwt
                request.session[ANSWERED] = answered
        if jwt is not None:
            return _answer(request, settings=settings, jwt=jwt)
    trainings = deep_linking.trainings_for(organization=organization, query=query)
    modules = deep_linking.modules_for(organization=organization, query=query)
    return render(
        request,
        "lti/deep_linking.html",
        {
            "organization": organization,
            "trainings": trainings,
            "modules": modules,
            "query": query,
            "error": error,
            "multiple": settings.get("accept_multiple", True) not in (False, "false"),
            "context_title": (data.get(CONTEXT) or {}).get("title", ""),
        },
        status=400 if error else 200,
    )


def _answer(request, *, settings: dict, jwt: str):
    return_url = settings.get("deep_link_return_url", "")
    response = render(
        request, "lti/deep_linking_return.html", {"return_url": return_url, "jwt": jwt}
    )
    parts = urlsplit(return_url)
    if parts.scheme in ("http", "https"):
        response._lti_return_origin = f"{parts.scheme}://{parts.netloc}"
    return response


@embeddable
@never_cache
@require_http_methods(["GET", "POST"])
def course_roster(request):
    """The roster of the launch's course, each member's progress in its placed trainings.
    POST pulls it again from the platform (Names and Role Provisioning)."""
    try:
        _launch_id, data = _launch_data(request)
        _teacher(data)
        registration = _connection(data)[0]
        context = LtiContext.objects.filter(
            deployment__registration=registration,
            deployment__deployment_id=data.get(DEPLOYMENT, ""),
            id_on_platform=(data.get(CONTEXT) or {}).get("id", ""),
        ).first()
        if context is None:
            raise NotAllowed(
                _("Open this page from your course"),
                _("This launch did not come from a course."),
                status=400,
            )
    except NotAllowed as error:
        return _refused(request, error)
    if request.method == "POST":
        # The platform is read first, outside any transaction; each member is then written
        # in its own (a pull that fails half-way is finished by the next). One pull of a
        # course at a time, whoever asked (an admin's queued pull, another instructor).
        pull = roster_pulls.pull_now(context=context, by=request.user)
        if pull is None:
            messages.warning(
                request, _("This course's roster is already being pulled. Wait for the result.")
            )
        elif pull.error == RosterPullError.NOT_SHARED:
            messages.error(request, _("Your platform does not share this course's roster."))
        elif pull.error:
            messages.error(request, _("The platform did not answer. Try again in a few minutes."))
        else:
            messages.success(
                request,
                _("Roster updated: %(members)s members, %(learners)s learners.")
                % {"members": pull.members, "learners": pull.learners},
            )
        return redirect("interop_lti:course_roster")
    return render(
        request,
        "lti/deep_linking_roster.html",
        {"context": context, "rows": roster.roster_rows(context=context)},
    )
