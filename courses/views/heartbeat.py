"""The player's heartbeat: one JSON beat of watched ranges per call."""

from django.contrib.auth import SESSION_KEY
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lms.parsing import parse_json

from .. import ratelimit
from ..conf import config
from ..services.heartbeat import HeartbeatRefused, read_token, record_heartbeat
from ..watch import Beat, BeatError

# A heartbeat is a token and a few played ranges: a few kilobytes at most.
HEARTBEAT_MAX_BYTES = 16 * 1024


@require_POST
def heartbeat(request):
    """One player heartbeat (JSON). CSRF-protected and limited per user.

    It reads the signed-in user from the session and checks the session against the learner
    columns that ``record_heartbeat`` reads with the progress row anyway, instead of loading
    ``request.user``: a beat costs the session read, that read and one write.
    """
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return JsonResponse(
            {"error": gettext("Sign in to have your watching counted.")}, status=401
        )
    settings = config()
    if not ratelimit.allow(
        key=f"heartbeat:{user_id}",
        limit=settings.heartbeat_limit,
        window=settings.heartbeat_window_seconds,
    ):
        response = JsonResponse({"error": gettext("Too many heartbeats; slow down.")}, status=429)
        response["Retry-After"] = str(settings.heartbeat_window_seconds)
        return response
    try:
        data = parse_json(request.body or b"null", max_bytes=HEARTBEAT_MAX_BYTES)
        beat = Beat.parse(data)
        outcome = record_heartbeat(
            session=request.session, token=read_token(data.get("token")), beat=beat
        )
    except (ValueError, BeatError) as error:
        return JsonResponse({"error": str(error) or gettext("Send a JSON heartbeat.")}, status=400)
    except HeartbeatRefused as error:
        return JsonResponse({"error": str(error)}, status=error.status)
    answer = {
        "watched": outcome.watched_seconds,
        "coverage": outcome.coverage,
        "credited": outcome.credited,
        "duplicate": outcome.duplicate,
        "goal_reached": outcome.goal_reached,
    }
    if outcome.token:
        answer["token"] = outcome.token  # the player sends this one from now on
    return JsonResponse(answer)
