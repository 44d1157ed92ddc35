"""Template tags for recordings: the accessible player (with signed sources for viewers the
authorizer lets watch) and the name of what kind of page uses a recording."""

from django import template
from django.urls import reverse

from .. import delivery

register = template.Library()


@register.inclusion_tag("media_pipeline/player.html", takes_context=True)
def recording_player(context, recording, heading=""):
    """The accessible player for viewers the authorizer lets watch; a notice otherwise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    state = {"recording": recording, "heading": heading or getattr(recording, "title", "")}
    if recording is None:
        return {**state, "state": "missing"}
    if not delivery.may_watch(user=user, recording=recording, request=request):
        signed_in = bool(getattr(user, "is_authenticated", False))
        return {
            **state,
            "state": "locked",
            "signed_in": signed_in,
            "login_url": reverse("account_login"),
            "next": request.get_full_path() if request else "",
        }
    if not recording.is_playable:
        return {**state, "state": "processing"}
    sources = delivery.sources(recording=recording, user=user)
    preferences = delivery.viewer_preferences(user=user, request=request)
    languages = [caption["language"] for caption in sources["captions"]]
    showing, transcript = delivery.starting_languages(languages, preferences)
    return {
        **state,
        "state": "ready",
        "sources": sources,
        "sources_url": reverse("media_pipeline:sources", args=[recording.key]),
        # Captions shown at the start ("" for off) and the transcript's first language; the
        # player prefers a choice the viewer made in it since the preference last changed.
        "captions_showing": showing,
        "transcript_language": transcript,
        "preference_key": preferences.key,
    }


@register.filter
def verbose_name_of(obj) -> str:
    """“webinar”, “lesson”, “library module”: what kind of thing uses a recording."""
    specific = getattr(obj, "specific", obj)
    return specific._meta.verbose_name
