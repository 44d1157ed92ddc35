"""Attune's URLs plus the bare JSON view the heartbeat is measured against."""

import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from lms.urls import urlpatterns as attune


@require_POST
def bare(request):
    """What any JSON POST costs in this stack: the same middleware (CSRF included), a parsed
    body and a JSON answer, and no database."""
    data = json.loads(request.body)
    return JsonResponse({"seq": data.get("seq")})


urlpatterns = [path("bench/bare/", bare), *attune]
