"""Attune's URLs plus the bare JSON view every served path is measured against."""

import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

from lms.urls import urlpatterns as attune


@require_http_methods(["GET", "POST"])
def bare(request):
    """What any request costs in this stack: the same middleware (CSRF included), a parsed
    body and a JSON answer, and no database."""
    data = json.loads(request.body) if request.method == "POST" else {}
    return JsonResponse({"seq": data.get("seq")})


urlpatterns = [path("bench/bare/", bare), *attune]
