"""Stripe's webhook, one URL per association so that each merchant's own signing secret
verifies its events. A bad signature is a 400 and changes nothing."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lms.organizations.models import Organization

from ..services.payments import BadSignature, handle_webhook

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send our CSRF token; the signature is the credential.
@require_POST
def stripe_webhook(request, slug):
    association = get_object_or_404(Organization, slug=slug)
    try:
        done = handle_webhook(
            association=association,
            payload=request.body,
            signature=request.headers.get("Stripe-Signature", ""),
        )
    except BadSignature as exc:
        logger.warning("Stripe webhook for %s refused: %s", slug, exc)
        return HttpResponseBadRequest("bad signature")
    logger.info("Stripe webhook for %s: %s", slug, done)
    return HttpResponse(done, content_type="text/plain")
